package textsafe

import "testing"

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Firma Test", "Firma Test"},
		{"città è già", "città è già"},
		{"\x1b[31mROSSO\x1b[0m", `\x1b[31mROSSO\x1b[0m`},
		{"a\nb", `a\x0ab`},
		{"a\x07b", `a\x07b`},
		{"tab\there", `tab\x09here`},
		{"\xff\xfe", `\xff\xfe`},
		{"x\u202Eevil", `x\u{202e}evil`},
		{"c1\u009bq", `c1\u{009b}q`},
		{"del\x7f", `del\x7f`},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
		if IsSafe(c.in) != (c.in == c.want) {
			t.Errorf("IsSafe(%q) = %v", c.in, IsSafe(c.in))
		}
	}
}

func TestText(t *testing.T) {
	in := "riga uno\r\nriga\tdue\n\x1b]0;titolo\x07"
	want := "riga uno\nriga    due\n\\x1b]0;titolo\\x07"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func FuzzLine(f *testing.F) {
	f.Add("\x1b[2J")
	f.Add("ok")
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !IsSafe(out) {
			t.Fatalf("Line(%q) = %q is not safe", s, out)
		}
	})
}
