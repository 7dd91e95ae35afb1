// Package gateway is the S3 protocol front end: routing, SigV4 authentication,
// XML bodies and AWS error codes, in front of an ObjectLayer.
//
// It knows nothing of how objects are stored: any implementation of
// ObjectLayer can sit behind it. MEFS's own implementation lives in backend/.
package gateway
