// Package test holds MEFS's end-to-end tests: real `mefs` processes (devnet,
// gateway, Providers) on loopback driven by real S3 clients (aws-sdk-go-v2,
// the aws CLI), with fault injection and benchmarks.
package test
