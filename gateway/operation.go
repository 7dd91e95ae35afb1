package gateway

import "time"

// Observer receives one call per finished S3 request: its operation name
// (as in the S3 API reference), HTTP status and duration. It must be safe
// for concurrent use.
type Observer func(op string, status int, d time.Duration)
