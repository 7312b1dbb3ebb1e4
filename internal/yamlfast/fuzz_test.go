package yamlfast

import (
	"math/rand/v2"
	"testing"

	"github.com/sportello/sportello/internal/flowgen"
)

// FuzzParse: Parse never panics, and whatever it accepts yaml.v3 reads as
// one document with the same tree.
func FuzzParse(f *testing.F) {
	for _, data := range repoFiles(f) {
		f.Add(data)
	}
	f.Add(flowgen.Generate(20))
	for _, c := range accepted {
		f.Add([]byte(c.src))
	}
	for _, c := range refused {
		f.Add([]byte(c.src))
	}
	g := &gen{r: rand.New(rand.NewPCG(3, 4))}
	for range 100 {
		f.Add([]byte(g.document()))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := parse(data) // without Parse's recover, so panics show
		if !ok {
			return
		}
		want, err := yamlv3(data)
		if err != nil {
			t.Fatalf("Parse accepted what yaml.v3 rejects: %v", err)
		}
		if d := diff(got, want); d != "" {
			t.Fatal(d)
		}
	})
}

func benchmark(b *testing.B, decode func([]byte) bool) {
	data := flowgen.Generate(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if !decode(data) {
			b.Fatal("decode failed")
		}
	}
}

// BenchmarkParse and BenchmarkYAMLv3 read the 10,000-node flow of
// internal/flow's BenchmarkLoad10000.
func BenchmarkParse(b *testing.B) {
	benchmark(b, func(data []byte) bool {
		_, ok := Parse(data)
		return ok
	})
}

func BenchmarkYAMLv3(b *testing.B) {
	benchmark(b, func(data []byte) bool {
		_, err := yamlv3(data)
		return err == nil
	})
}
