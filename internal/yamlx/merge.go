package yamlx

// Merge deep-merges overlay onto base and returns a new tree: mappings merge
// key by key, while lists and scalars in overlay replace what base has. An
// explicit null in overlay replaces too. Nodes keep their own positions, so
// an error found later points at the file that supplied the value. Neither
// input is modified.
func Merge(base, overlay *Node) *Node {
	switch {
	case overlay == nil:
		return base
	case base == nil:
		return overlay
	case base.Kind != MappingNode || overlay.Kind != MappingNode:
		return overlay
	}
	out := &Node{Kind: MappingNode, Tag: TagMap, Pos: overlay.Pos}
	out.Content = make([]*Node, 0, len(base.Content)+len(overlay.Content))
	// index both sides once: looking keys up one by one is quadratic
	inOverlay := make(map[string]int, len(overlay.Content)/2)
	for i := 0; i+1 < len(overlay.Content); i += 2 {
		if _, dup := inOverlay[overlay.Content[i].Value]; !dup {
			inOverlay[overlay.Content[i].Value] = i
		}
	}
	inBase := make(map[string]bool, len(base.Content)/2)
	for i := 0; i+1 < len(base.Content); i += 2 {
		k := base.Content[i]
		v := base.Content[i+1]
		inBase[k.Value] = true
		if j, ok := inOverlay[k.Value]; ok {
			out.Content = append(out.Content, overlay.Content[j], Merge(v, overlay.Content[j+1]))
			continue
		}
		out.Content = append(out.Content, k, v)
	}
	for i := 0; i+1 < len(overlay.Content); i += 2 {
		if !inBase[overlay.Content[i].Value] {
			out.Content = append(out.Content, overlay.Content[i], overlay.Content[i+1])
		}
	}
	return out
}
