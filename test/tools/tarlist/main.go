// tarlist prints what Go's archive/tar (the reader containerd and moby use)
// sees in a tar stream: one line per entry Reader.Next returns, then "end" or
// the first error. The differential tests compare this with our reader.
//
//	tarlist [-max N] [FILE]   (stdin without FILE; gzip is detected)
//	tarlist -version          (the Go release, whose archive/tar this is)
//	tarlist -batch [-max N]   (stdin: archives, each an 8-byte big-endian
//	                           length then the bytes; a line "=" after each)
//
// Entry line, tab-separated: name, type flag, size, link target, sha256 of
// the content. Bytes outside printable ASCII, '%' and tab are written %XX.
// An entry whose content is over -max bytes prints "toobig" and stops, so a
// fuzzer's mutated sizes cannot make a run slow.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
)

func escape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f && c != '%' {
			out = append(out, c)
		} else {
			out = append(out, fmt.Sprintf("%%%02X", c)...)
		}
	}
	return string(out)
}

func headerOnly(flag byte) bool {
	switch flag {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo:
		return true
	}
	return false
}

func main() {
	max := flag.Int64("max", 64<<20, "largest entry content to hash")
	batch := flag.Bool("batch", false, "list length-prefixed archives from stdin")
	version := flag.Bool("version", false, "print the Go version whose archive/tar this is")
	flag.Parse()
	if *version {
		fmt.Println(runtime.Version())
		return
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	if *batch {
		in := bufio.NewReaderSize(os.Stdin, 1<<16)
		var size [8]byte
		for {
			if _, err := io.ReadFull(in, size[:]); err != nil {
				return
			}
			buf := make([]byte, binary.BigEndian.Uint64(size[:]))
			if _, err := io.ReadFull(in, buf); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			list(out, bytes.NewReader(buf), *max)
			fmt.Fprintln(out, "=")
		}
	}
	in := io.Reader(os.Stdin)
	if flag.NArg() > 0 {
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	list(out, in, *max)
}

// list prints one archive. The reader is wrapped so that Go cannot seek over
// skipped data: a runtime reads layers as a stream.
func list(out io.Writer, in io.Reader, max int64) {
	br := bufio.NewReaderSize(struct{ io.Reader }{in}, 1<<16)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			fmt.Println("error\t" + escape(err.Error()))
			return
		}
		in = zr
	} else {
		in = br
	}
	tr := tar.NewReader(in)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			fmt.Fprintln(out, "end")
			return
		}
		if err != nil {
			fmt.Fprintln(out, "error\t"+escape(err.Error()))
			return
		}
		if !headerOnly(hdr.Typeflag) && hdr.Size > max {
			fmt.Fprintln(out, "toobig\t"+escape(hdr.Name)+"\t"+strconv.FormatInt(hdr.Size, 10))
			return
		}
		h := sha256.New()
		if _, err := io.Copy(h, tr); err != nil {
			fmt.Fprintln(out, "error\t"+escape(err.Error()))
			return
		}
		fmt.Fprintf(out, "%s\t%s\t%d\t%s\t%s\n", escape(hdr.Name), escape(string([]byte{hdr.Typeflag})), hdr.Size, escape(hdr.Linkname), hex.EncodeToString(h.Sum(nil)))
	}
}
