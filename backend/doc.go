// Package backend is MEFS behind the S3 gateway: it implements
// gateway.ObjectLayer by encrypting and erasure-coding objects into stripes
// whose chunks live on Providers reached over libp2p, with the object and
// stripe maps in a Pebble metadata store.
//
// Sub-packages: meta (metadata store), wire (the chunk protocol and libp2p
// hosts), provider (the Provider role), placement (which Providers hold which
// chunk).
package backend
