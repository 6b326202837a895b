package models_test

import (
	"os"
	"testing"

	"charter/models/dbtest"
)

// The PostgreSQL server of CHARTER_TEST_DB=postgres stops with the tests.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
