package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/textsafe"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// JUnit writes r as JUnit XML: one test case per check. fail is a
// <failure>, error an <error>, skip <skipped>; warn passes with the
// warning in <system-out>, or is a <failure> when the report is strict.
func JUnit(w io.Writer, r *diag.Report) error {
	s := junitSuite{
		Name:      "sportello.diagnose",
		Timestamp: r.GeneratedAt.Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"tool", textsafe.Line(r.Tool)},
			{"verdict", textsafe.Line(r.Verdict.Message)},
		},
	}
	several := len(check.Devices(r.Checks)) > 1
	for _, c := range r.Checks {
		tc := junitCase{Name: c.Check, ClassName: "sportello." + strings.SplitN(c.Check, ".", 2)[0]}
		if several && c.Device != nil { // one test case per check and device
			tc.Name += " [" + junitDevice(*c.Device) + "]"
		}
		p := &junitProblem{Message: textsafe.Line(c.Title), Type: string(c.Status), Body: body(c)}
		switch {
		case c.Status == check.Fail, c.Status == check.Warn && r.Strict:
			tc.Failure = p
			s.Failures++
		case c.Status == check.Error:
			tc.Error = p
			s.Errors++
		case c.Status == check.Skip:
			tc.Skipped = &junitProblem{Message: p.Message}
			s.Skipped++
		case c.Status == check.Warn:
			tc.SystemOut = "AVVISO: " + p.Message + "\n" + p.Body
		default:
			tc.SystemOut = p.Message
		}
		s.Cases = append(s.Cases, tc)
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: "sportello diagnose", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Skipped: s.Skipped, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func body(c check.Result) string {
	var lines []string
	if c.Detail != "" {
		lines = append(lines, textsafe.Line(c.Detail))
	}
	if c.Remedy != "" {
		lines = append(lines, "Cosa fare: "+textsafe.Line(c.Remedy))
	}
	return strings.Join(lines, "\n")
}

// junitDevice names a device in a test case: its label and serial, or its
// slot.
func junitDevice(d check.Device) string {
	s := textsafe.Line(d.Label)
	if d.Serial != "" {
		s = strings.TrimSpace(s + " " + textsafe.Line(d.Serial))
	}
	if s == "" {
		s = fmt.Sprintf("slot %d", d.Slot)
	}
	return s
}
