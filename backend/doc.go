// Package backend is MEFS behind the S3 gateway. It holds no code of its
// own; each role and each shared mechanism has one package:
//
//	node       starts roles from config structs; admin listener; Status
//	user       the User: gateway.ObjectLayer over Providers, and the Settler
//	provider   the Provider: chunk store and protocol handlers
//	keeper     the Keeper
//	p2p        libp2p hosts, chunk and order protocols
//	meta       the User's metadata store (Pebble)
//	placement  every choice of Provider
//	order      order lists and roots
//	memo       MEMO's domain types (DataID, ObjectID, ChunkID, Epoch)
//
// Imports point one way: node → user, provider, keeper → p2p, meta,
// placement, order → memo → erasure; chain is used by node, user, provider
// and keeper through small interfaces each declares.
package backend
