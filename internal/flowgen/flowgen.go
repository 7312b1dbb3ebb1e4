// Package flowgen generates large, valid flow files for benchmarks and
// tests of the loader. It is test support, not product code.
package flowgen

import (
	"fmt"
	"strings"
)

// Generate writes a flow of n nodes shaped like a real one: questions with
// three choices (forward, a skip ahead, back to the start), steps, check
// nodes and an end every tenth node.
func Generate(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "id: grande\ntitle: Percorso generato\ndescription: %d nodi\nstart: n0\nnodes:\n", n)
	for i := 0; i < n; i++ {
		next, skip := fmt.Sprintf("n%d", i+1), fmt.Sprintf("n%d", min(i+7, n-1))
		if i == n-1 || i%10 == 9 {
			fmt.Fprintf(&b, "  n%d:\n    type: end\n    result: resolved\n    title: Fine %d\n    text: Risolto al passo %d.\n", i, i, i)
			continue
		}
		switch i % 10 {
		case 3:
			fmt.Fprintf(&b, "  n%d:\n    type: check\n    title: Controllo %d\n    check: token.present\n    outcomes:\n      pass: %s\n      other: %s\n", i, i, next, skip)
		case 5:
			fmt.Fprintf(&b, "  n%d:\n    type: steps\n    title: Passi %d\n    source: [FIRMA-12]\n    steps:\n      - Cambia porta USB.\n      - Reinstalla i driver.\n    choices:\n      - label: Funziona\n        goto: %s\n      - label: Non funziona\n        goto: %s\n", i, i, next, skip)
		default:
			fmt.Fprintf(&b, "  n%d:\n    type: question\n    title: Domanda %d\n    text: |\n      Testo della domanda numero %d con **grassetto**.\n    choices:\n      - label: Avanti\n        goto: %s\n      - label: Salta\n        goto: %s\n      - label: Ricomincia\n        goto: n0\n", i, i, i, next, skip)
		}
	}
	return []byte(b.String())
}
