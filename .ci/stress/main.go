// Command stress runs the real charter binary under load and under crashes, on 127.0.0.1 only,
// bounded in time and count, and reports what it measured. It is not part of `go test`;
// docs/performance.md and docs/security.md give its figures.
//
//	go run ./.ci/stress load  [-clients 100] [-duration 60s] [-seed 10000] [-db sqlite|postgres] [-instances 1]
//	go run ./.ci/stress crash [-rounds 20] [-workers 8] [-db sqlite|postgres] [-instances 1]
//	go run ./.ci/stress drain [-clients 100]
//	go run ./.ci/stress abuse [-scenario login|mail] [-attempts 200] [-addresses 50] [-signups 100] [-workers 20]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: stress load|crash|drain|abuse [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	clients := fs.Int("clients", 100, "concurrent clients (load, drain)")
	duration := fs.Duration("duration", 60*time.Second, "how long the load runs")
	seed := fs.Int("seed", 10000, "approved signatories to seed before the load")
	rounds := fs.Int("rounds", 20, "crash rounds: start, sign up concurrently, SIGKILL, restart")
	workers := fs.Int("workers", 8, "concurrent sign-ups during each crash round (crash), at once (abuse mail)")
	scenario := fs.String("scenario", "", "abuse: run only this scenario (login or mail); default all")
	attempts := fs.Int("attempts", 200, "abuse login: concurrent attacking requests")
	addresses := fs.Int("addresses", 50, "abuse login: loopback addresses they come from (at most 250)")
	signups := fs.Int("signups", 100, "abuse mail: sign-ups to victim+N@example.org, each from its own loopback address")
	db := fs.String("db", "sqlite", "load, crash: the database, sqlite or postgres (a throwaway server from /usr/lib/postgresql/*/bin)")
	instances := fs.Int("instances", 1, "load, crash: instances of the server on the one database (more than 1 needs -db postgres)")
	fs.Parse(os.Args[2:])
	o := dbOptions{db: *db, instances: *instances}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute) // never runs away
	defer cancel()
	var err error
	if o != sqliteOne && os.Args[1] != "load" && os.Args[1] != "crash" {
		fmt.Fprintln(os.Stderr, "-db and -instances are flags of load and crash")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "load":
		err = runLoad(ctx, *clients, *duration, *seed, o)
	case "crash":
		err = runCrash(ctx, *rounds, *workers, o)
	case "drain":
		err = runDrain(ctx, *clients)
	case "abuse":
		err = runAbuse(ctx, *scenario, abuseOptions{attempts: *attempts,
			addresses: min(max(*addresses, 1), 250), signups: *signups, workers: *workers})
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
}
