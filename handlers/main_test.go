package handlers_test

import (
	"os"
	"testing"

	"charter/models/dbtest"
	"charter/views"
)

// A missing message fails every test of this package, never shown silently as its key.
func TestMain(m *testing.M) {
	views.MissingMessage = func(l views.Lang, key string, err error) {
		panic("views: no message " + key + " in " + string(l) + ": " + err.Error())
	}
	os.Exit(dbtest.Main(m))
}
