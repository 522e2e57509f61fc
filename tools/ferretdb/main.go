// Command ferretdb runs FerretDB 1.24 as an embedded library so tests and `npm start` have a
// MongoDB-wire server on machines without mongod. Embedding skips the version-file check that makes
// `go install .../cmd/ferretdb` panic (upstream #2982) and keeps telemetry off.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "", "SQLite directory URL, e.g. file:/tmp/data/ (must end in /)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql backend")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "bad -log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
		Logger:        logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("ferretdb listening", "addr", *listen, "handler", *handler)
	f.Run(ctx)
}
