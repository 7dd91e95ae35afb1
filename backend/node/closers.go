package node

// closers undoes a start-up in reverse order: on failure part-way, or when
// the node closes.
type closers []func()

func (c *closers) add(f func()) { *c = append(*c, f) }

// close runs every closer, last added first, once.
func (c *closers) close() {
	for i := len(*c) - 1; i >= 0; i-- {
		(*c)[i]()
	}
	*c = nil
}
