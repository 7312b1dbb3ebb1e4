package yamlfast

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// gen writes random documents made of the subset's constructs, with random
// indentation, comments, blank lines and line ends, and now and then
// something just outside the subset, so that the differential check sees
// many inputs that Parse accepts (plain fuzzing mostly makes ones it
// refuses).
type gen struct {
	r     *rand.Rand
	lines []string
}

var (
	genKeys = []string{
		"a", "id", "title", "nodes", "goto", "label", "n0", "key with spaces", "perché", "è", "😀",
		"1", "0x1F", "true", "~", "null", "yes", "a#b", "a:b", "-a", "x.y", "k-9", ".5", "+1",
		"a #b", "'q'", "\"d\"", "[x]", "? a", "*x", "&y z", "!t", "<<", "a: b", "%p", "@q", "`r",
	}
	genPlain = []string{
		"x", "Testo semplice.", "perché è così", "n12", "token.present", "FIRMA-12", "1", "-1", "+2",
		"0x1F", "0o17", "1_000", "1e3", ".inf", "-.Inf", ".nan", "2001-12-14", "12:30", "true", "False",
		"yes", "No", "~", "null", "NULL", "0.", "08", "-x", "x -y", "x#y", "a :b", "http://e.it/a?b=c#d",
		"😀 emoji", "~x", "...", "---", "a: b", "b #c", "- z", "x:", "?x", ":x", "&a", "*a", "!b", "|", ">",
		"{a}", "[a]", "a [b] {c}", "<<", "-", "b  ", "%x", "@x", "`x",
	}
	genEscapes = []string{
		`\n`, `\"`, `\\`, `\u00e8`, `\e`, `\x41`, `\U0001F600`, `\0`, `\t`, `\ `, `\_`, `\N`, `\L`, `\P`,
		`\/`, `\q`, `\x4`, `\ud800`, `\U00110000`, `\'`, `\a`, `\b`, `\v`, `\f`, `\r`,
	}
	genFlowItems = []string{"a", "pec 16", "PEC-15", "'x'", "\"y\"", "1", "-1", "è", "'it''s'", "", "a:b", "-", "b #c", "[x]", "{y}"}
)

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }
func (g *gen) rare() bool             { return g.r.IntN(40) == 0 }

// comment returns "", or a trailing comment.
func (g *gen) comment() string {
	if g.r.IntN(6) == 0 {
		return strings.Repeat(" ", 1+g.r.IntN(2)) + "# c" + g.pick([]string{"", ": x", " # y", " 'q'"})
	}
	return ""
}

// filler maybe adds blank and comment lines.
func (g *gen) filler(ind int) {
	for g.r.IntN(5) == 0 {
		switch g.r.IntN(3) {
		case 0:
			g.lines = append(g.lines, "")
		case 1:
			g.lines = append(g.lines, strings.Repeat(" ", g.r.IntN(ind+4)))
		default:
			g.lines = append(g.lines, strings.Repeat(" ", max(0, ind+g.r.IntN(5)-2))+"# comment")
		}
	}
}

func (g *gen) key() string {
	if g.r.IntN(8) == 0 {
		return g.pick(genKeys)
	}
	return g.pick(genKeys[:11])
}

// scalar returns a one-line scalar: plain, quoted or (rarely) broken.
func (g *gen) scalar() string {
	switch g.r.IntN(6) {
	case 0:
		var b strings.Builder
		b.WriteByte('"')
		for range g.r.IntN(4) {
			b.WriteString(g.pick([]string{"a", " ", "è", "'", ": ", " #", "x"}))
			if g.r.IntN(2) == 0 {
				if g.r.IntN(6) == 0 {
					b.WriteString(g.pick(genEscapes))
				} else {
					b.WriteString(g.pick(genEscapes[:14]))
				}
			}
		}
		b.WriteByte('"')
		return b.String()
	case 1:
		return "'" + g.pick([]string{"", "a", "it''s", ": #", "\"", "è ", " x "}) + "'"
	}
	if g.r.IntN(3) == 0 {
		return g.pick(genPlain)
	}
	return g.pick(genPlain[:20])
}

// literal appends a literal block scalar's header and lines.
func (g *gen) literal(head string, parent int) {
	chomp := g.pick([]string{"", "", "-", "+", "2", "-1"})
	g.lines = append(g.lines, head+"|"+chomp+g.comment())
	ind := parent + 1 + g.r.IntN(3)
	if g.rare() {
		ind = parent
	}
	for range g.r.IntN(2) {
		g.lines = append(g.lines, strings.Repeat(" ", g.r.IntN(ind+2)))
	}
	for i := range 1 + g.r.IntN(4) {
		extra := 0
		if i > 0 && g.r.IntN(4) == 0 {
			extra = 1 + g.r.IntN(3)
		}
		g.lines = append(g.lines, strings.Repeat(" ", ind+extra)+g.pick([]string{"text", "# not a comment", "- not an item", "a: b", "è", "x  ", "|"}))
		for g.r.IntN(4) == 0 {
			g.lines = append(g.lines, strings.Repeat(" ", g.r.IntN(ind+3)))
		}
	}
}

func (g *gen) flowSeq() string {
	items := make([]string, g.r.IntN(4))
	for i := range items {
		if g.r.IntN(5) == 0 {
			items[i] = g.pick(genFlowItems)
		} else {
			items[i] = g.pick(genFlowItems[:9])
		}
	}
	sep := g.pick([]string{", ", ",", " , ", ",  "})
	s := "[" + strings.Join(items, sep)
	if g.rare() {
		s += ","
	}
	return s + g.pick([]string{"]", "]", " ]"})
}

// value appends what follows "head" (a key and colon, or a dash): a scalar
// on the same line, a literal, a flow sequence, nothing, or a nested block.
func (g *gen) value(head string, ind, depth int) {
	n := g.r.IntN(10)
	if depth > 4 {
		n %= 6
	}
	switch {
	case n < 3:
		g.lines = append(g.lines, head+" "+g.scalar()+g.comment())
	case n == 3:
		g.literal(head+" ", ind)
	case n == 4:
		g.lines = append(g.lines, head+" "+g.flowSeq()+g.comment())
	case n == 5:
		g.lines = append(g.lines, head+g.comment())
	case n < 8:
		g.lines = append(g.lines, head+g.comment())
		g.filler(ind)
		g.mapping(ind+1+g.r.IntN(3), depth+1)
	default:
		g.lines = append(g.lines, head+g.comment())
		g.filler(ind)
		child := ind + g.r.IntN(3)
		if strings.HasSuffix(strings.TrimSpace(head), "-") && child == ind {
			child++
		}
		g.sequence(child, depth+1)
	}
}

func (g *gen) mapping(ind, depth int) {
	for i := range 1 + g.r.IntN(4) {
		if i > 0 {
			g.filler(ind)
		}
		g.value(strings.Repeat(" ", ind)+g.key()+g.pick([]string{":", ":", ":", " :"}), ind, depth)
	}
}

func (g *gen) sequence(ind, depth int) {
	for i := range 1 + g.r.IntN(4) {
		if i > 0 {
			g.filler(ind)
		}
		dash := strings.Repeat(" ", ind) + "-"
		if g.r.IntN(3) == 0 {
			// "- key: value" and more keys below, at the first key's column.
			spaces := 1 + g.r.IntN(3)
			first := len(g.lines)
			g.mapping(ind+1+spaces, depth+1)
			g.lines[first] = dash + strings.Repeat(" ", spaces) + strings.TrimLeft(g.lines[first], " ")
			continue
		}
		g.value(dash, ind, depth)
	}
}

func (g *gen) document() string {
	g.lines = g.lines[:0]
	if g.r.IntN(4) == 0 {
		g.lines = append(g.lines, "---"+g.comment())
	}
	g.filler(0)
	ind := 0
	if g.rare() {
		ind = 1 + g.r.IntN(2)
	}
	if g.r.IntN(5) == 0 {
		g.sequence(ind, 0)
	} else {
		g.mapping(ind, 0)
	}
	g.filler(0)
	if g.r.IntN(8) == 0 {
		// Shift one line by a column or two.
		i := g.r.IntN(len(g.lines))
		g.lines[i] = strings.Repeat(" ", 1+g.r.IntN(2)) + g.lines[i]
	}
	nl := "\n"
	if g.r.IntN(8) == 0 {
		nl = "\r\n"
	}
	s := strings.Join(g.lines, nl)
	if g.r.IntN(6) != 0 {
		s += nl
	}
	if g.r.IntN(10) == 0 {
		s = "\ufeff" + s
	}
	return s
}

// TestRandom checks Parse against yaml.v3 on generated documents.
// YAMLFAST_RANDOM sets how many (default 3000).
func TestRandom(t *testing.T) {
	n := 3000
	if s := os.Getenv("YAMLFAST_RANDOM"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if testing.Short() {
		n = 300
	}
	g := &gen{r: rand.New(rand.NewPCG(1, 2))}
	if s := os.Getenv("YAMLFAST_SEED"); s != "" {
		seed, _ := strconv.ParseUint(s, 10, 64)
		g.r = rand.New(rand.NewPCG(seed, 2))
	}
	ok := 0
	for range n {
		src := g.document()
		if same(t, strconv.Quote(src), []byte(src)) {
			ok++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("Parse accepted %d of %d generated documents", ok, n)
	if ok < n/4 {
		t.Errorf("Parse accepted only %d of %d generated documents", ok, n)
	}
}
