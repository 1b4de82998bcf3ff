// Command wasmsize reports how much of a Go wasm binary's code each package
// takes, from the code section and the "name" custom section (so build
// without -ldflags=-s for this report).
//
//	GOOS=js GOARCH=wasm go build -o /tmp/a.wasm ./wasm && go run ./tools/wasmsize /tmp/a.wasm
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 30, "rows to print")
	funcs := flag.Bool("funcs", false, "list functions instead of packages")
	flag.Parse()
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	sizes, names, err := parse(data)
	if err != nil {
		fail(err)
	}
	total := 0
	byKey := map[string]int{}
	for idx, size := range sizes {
		total += size
		name := names[idx]
		if name == "" {
			name = fmt.Sprintf("func[%d]", idx)
		}
		key := name
		if !*funcs {
			key = pkgOf(name)
		}
		byKey[key] += size
	}
	type row struct {
		k string
		n int
	}
	var rows []row
	for k, n := range byKey {
		rows = append(rows, row{k, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].n > rows[j].n })
	fmt.Printf("code: %d bytes in %d functions (file %d bytes)\n", total, len(sizes), len(data))
	for i, r := range rows {
		if i == *top {
			break
		}
		fmt.Printf("%9d %5.1f%%  %s\n", r.n, 100*float64(r.n)/float64(total), r.k)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmsize:", err)
	os.Exit(1)
}

// pkgOf returns the package path of a Go symbol such as
// "github.com/x/y/core.(*Client).Do" or "strconv.ParseFloat".
func pkgOf(sym string) string {
	slash := strings.LastIndex(sym, "/")
	dot := strings.Index(sym[slash+1:], ".")
	if dot < 0 {
		return sym
	}
	return sym[:slash+1+dot]
}

func uleb(b []byte, p *int) (uint64, error) {
	v, n := binary.Uvarint(b[*p:])
	if n <= 0 {
		return 0, errors.New("bad LEB128")
	}
	*p += n
	return v, nil
}

// parse returns code body sizes and names, both keyed by function index.
func parse(b []byte) (map[int]int, map[int]string, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, nil, errors.New("not a wasm file")
	}
	sizes := map[int]int{}
	names := map[int]string{}
	imported := 0
	p := 8
	for p < len(b) {
		id := b[p]
		p++
		n, err := uleb(b, &p)
		if err != nil {
			return nil, nil, err
		}
		end := p + int(n)
		sec := b[p:end]
		q := 0
		switch id {
		case 2: // imports: functions among them take the first indices
			count, _ := uleb(sec, &q)
			for i := 0; i < int(count); i++ {
				for j := 0; j < 2; j++ { // module, field
					l, _ := uleb(sec, &q)
					q += int(l)
				}
				kind := sec[q]
				q++
				switch kind {
				case 0:
					uleb(sec, &q)
					imported++
				case 1:
					q++
					flags, _ := uleb(sec, &q)
					uleb(sec, &q)
					if flags&1 != 0 {
						uleb(sec, &q)
					}
				case 2:
					flags, _ := uleb(sec, &q)
					uleb(sec, &q)
					if flags&1 != 0 {
						uleb(sec, &q)
					}
				case 3:
					q += 2
				}
			}
		case 10: // code
			count, _ := uleb(sec, &q)
			for i := 0; i < int(count); i++ {
				l, _ := uleb(sec, &q)
				sizes[imported+i] = int(l)
				q += int(l)
			}
		case 0: // custom: look for "name", subsection 1 (function names)
			l, _ := uleb(sec, &q)
			if string(sec[q:q+int(l)]) != "name" {
				break
			}
			q += int(l)
			for q < len(sec) {
				sub := sec[q]
				q++
				sl, _ := uleb(sec, &q)
				subEnd := q + int(sl)
				if sub == 1 {
					count, _ := uleb(sec, &q)
					for i := 0; i < int(count); i++ {
						idx, _ := uleb(sec, &q)
						nl, _ := uleb(sec, &q)
						names[int(idx)] = string(sec[q : q+int(nl)])
						q += int(nl)
					}
				}
				q = subEnd
			}
		}
		p = end
	}
	return sizes, names, nil
}
