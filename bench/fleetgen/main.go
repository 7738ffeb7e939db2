package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/digx/fluxtf/bench/corpus"
	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/generator"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "specs":
		err = specsCmd(os.Args[2:])
	case "corpus":
		err = corpusCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleetgen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fleetgen specs -n N -out DIR [-seed S] | fleetgen corpus -specs DIR -out DIR")
	os.Exit(2)
}

func specsCmd(args []string) error {
	fs := flag.NewFlagSet("specs", flag.ExitOnError)
	n := fs.Int("n", 1000, "number of environments")
	out := fs.String("out", "", "specs folder to write (created)")
	seed := fs.Uint64("seed", 1, "random seed")
	_ = fs.Parse(args)
	if *out == "" || *n < 1 {
		usage()
	}
	return fleet.Write(*out, *n, *seed)
}

func corpusCmd(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ExitOnError)
	specs := fs.String("specs", "", "specs folder (from fleetgen specs)")
	out := fs.String("out", "", "corpus folder to write (created)")
	_ = fs.Parse(args)
	if *specs == "" || *out == "" {
		usage()
	}
	outs, err := generator.Build(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: *specs}, All: true})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, o := range outs {
		env := o.Env.Env.Name
		data, err := corpus.Pair(o)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, env+".yaml"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
