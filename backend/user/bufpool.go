package user

// Stripe buffers (Layer.bufs: the process's slab pool).
//
// Invariants:
//   - Stripe buffers come from a slab pool, outside the Go heap (the k+m
//     chunks a PUT seals, the data chunks a GET reads, a decoded stripe);
//     each is given back exactly once, with Put or Discard, once nothing
//     reads or writes it. One never given back stays mapped for good.
//   - A PUT's buffer goes back only after every chunk put of its stripe has
//     returned (putStripe waits for them all; libp2p copies what a stream
//     writes before Write returns). A stripe that failed, or a body that
//     failed before its stripe was sealed, discards its buffer: its pages,
//     which may hold plaintext, are given back before it is reused.
//   - Pooled buffers hold no secret a later request could read: a PUT's
//     buffer holds plaintext only between the body's read and SealInPlace,
//     which overwrites it with ciphertext (and clears or overwrites every
//     other chunk byte), or is discarded; a GET reads no further into a
//     decoded stripe than the plaintext DecodeInto (or OpenInPlace, over the
//     data chunks in the chunks' buffer) wrote there.
//   - A GET's data-chunk buffer goes back only once every chunk read launched
//     into it has returned (hedged reads outlive the stripe's decoding) and,
//     when the stripe was decrypted in place there, its reader has moved
//     past it (sharedBuffer counts both).
//   - A GET's decoded stripe goes back only once its reader has moved past
//     it or closed (objectReader), never while Read may still copy from it.
