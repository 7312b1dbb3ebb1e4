package engine

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sportello/sportello/internal/flow"
)

// Hit is one search result.
type Hit struct {
	Ref       Ref
	FlowTitle string
	Title     string // node title
	Snippet   string // where the words were found, one line
	score     int
}

// Index is a search index over every node of a set: titles, texts, steps
// and choice labels, with accents and case folded.
type Index struct {
	docs []doc
}

type doc struct {
	ref       Ref
	flowTitle string
	node      *flow.Node
	title     string // folded
	body      string // folded text, steps and labels
}

// NewIndex builds the index; it costs one pass over the set.
func NewIndex(set *flow.Set) *Index {
	ix := &Index{}
	for _, f := range set.Flows {
		for _, id := range f.NodeIDs {
			n := f.Nodes[id]
			var b strings.Builder
			b.WriteString(n.Text)
			for _, s := range n.Steps {
				b.WriteString("\n" + s)
			}
			for _, c := range n.Choices {
				b.WriteString("\n" + c.Label)
			}
			for _, o := range flow.OSes { // every system's variant: an operator may guide another
				if v := n.OS[o]; v != nil {
					b.WriteString("\n" + v.Text)
					for _, s := range v.Steps {
						b.WriteString("\n" + s)
					}
				}
			}
			ix.docs = append(ix.docs, doc{
				ref: Ref{f.ID, id}, flowTitle: f.Title, node: n,
				title: fold(n.Title + " " + f.Title), body: fold(b.String()),
			})
		}
	}
	return ix
}

// Search returns the nodes that contain every word of query, best first:
// words in the title weigh more than words in the body. At most max hits.
func (ix *Index) Search(query string, max int) []Hit {
	words := strings.Fields(fold(query))
	if len(words) == 0 {
		return nil
	}
	var hits []Hit
	for i, d := range ix.docs {
		score := 0
		for _, w := range words {
			switch {
			case strings.Contains(d.title, w):
				score += 3
			case strings.Contains(d.body, w):
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score <= 0 {
			continue
		}
		hits = append(hits, Hit{Ref: d.ref, FlowTitle: d.flowTitle, Title: d.node.Title,
			Snippet: snippet(d.node, words), score: score*100000 - i})
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	if max > 0 && len(hits) > max {
		hits = hits[:max]
	}
	return hits
}

// snippet returns the first line of the node that holds one of the words.
func snippet(n *flow.Node, words []string) string {
	lines := strings.Split(n.Text, "\n")
	lines = append(lines, n.Steps...)
	for _, c := range n.Choices {
		lines = append(lines, c.Label)
	}
	for _, l := range lines {
		fl := fold(l)
		for _, w := range words {
			if strings.Contains(fl, w) {
				return strings.TrimSpace(strings.TrimLeft(l, "-* "))
			}
		}
	}
	if len(lines) > 0 {
		return strings.TrimSpace(lines[0])
	}
	return ""
}

// fold lowercases s and strips accents, so that "perche" finds "perché".
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
