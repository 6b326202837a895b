package models

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"
)

// constantsOf returns the values of the string constants of the named type declared in the files,
// read from the source so that a constant left out of its All… list is caught.
func constantsOf(t *testing.T, typeName string, files ...string) []string {
	t.Helper()
	var values []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typeName {
					continue
				}
				for i, name := range vs.Names {
					if !name.IsExported() {
						continue
					}
					v, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					values = append(values, v)
				}
			}
		}
	}
	slices.Sort(values)
	return values
}

func sortedStrings[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	slices.Sort(out)
	return out
}

// Every constant is in its list, which views and the tests enumerate.
func TestEveryConstantIsListed(t *testing.T) {
	for _, c := range []struct {
		typ, file string
		listed    []string
	}{
		{"Status", "lifecycle.go", sortedStrings(AllStatuses)},
		{"Action", "lifecycle.go", sortedStrings(AllActions)},
		{"FlagKind", "lifecycle.go", sortedStrings(AllFlagKinds)},
		{"Field", "fields.go", sortedStrings(Fields)},
	} {
		declared := constantsOf(t, c.typ, c.file)
		if len(declared) == 0 {
			t.Errorf("no %s constants found in %s", c.typ, c.file)
		}
		if !slices.Equal(declared, c.listed) {
			t.Errorf("%s: declared %v, listed %v", c.typ, declared, c.listed)
		}
	}
}

// The table is closed: its statuses and actions are known, each (from, action) has one outcome,
// and every status can be reached from an application.
func TestTransitionsAreClosed(t *testing.T) {
	reached := map[Status]bool{noStatus: true}
	seen := map[[2]string]bool{}
	for _, tr := range transitions {
		for _, st := range []Status{tr.from, tr.to} {
			if st != noStatus && !st.Valid() {
				t.Errorf("%v: unknown status %q", tr, st)
			}
		}
		if !slices.Contains(AllActions, tr.action) {
			t.Errorf("%v: unknown action", tr)
		}
		key := [2]string{string(tr.from), string(tr.action)}
		if seen[key] {
			t.Errorf("%v: a second outcome for %s from %q", tr, tr.action, tr.from)
		}
		seen[key] = true
	}
	for changed := true; changed; {
		changed = false
		for _, tr := range transitions {
			if reached[tr.from] && !reached[tr.to] {
				reached[tr.to], changed = true, true
			}
		}
	}
	for _, st := range AllStatuses {
		if !reached[st] {
			t.Errorf("status %s cannot be reached", st)
		}
	}
}

// The named sets say the same as the table: the manage link withdraws exactly what the table
// lets a contact withdraw, an open application is one whose withdrawal cancels it, and a public
// page belongs to an approved signature or one that has ended since.
func TestStatusSetsFollowTheTable(t *testing.T) {
	var manageable, open StatusSet
	public := StatusSet{StatusApproved}
	for _, st := range AllStatuses {
		if st.Allows(ActionWithdrawn) {
			manageable = append(manageable, st)
			if tr, _ := lookupTransition(st, ActionWithdrawn); tr.to == StatusCancelled {
				open = append(open, st)
			}
		}
	}
	for _, tr := range transitions {
		if tr.from == StatusApproved && tr.to != noStatus {
			public = append(public, tr.to)
		}
	}
	for _, c := range []struct {
		name      string
		got, want StatusSet
	}{
		{"ManageableStatuses", ManageableStatuses, manageable},
		{"OpenStatuses", OpenStatuses, open},
		{"PublicPageStatuses", PublicPageStatuses, public},
	} {
		if !slices.Equal(sortedStrings(c.got), sortedStrings(c.want)) {
			t.Errorf("%s = %v, the table says %v", c.name, c.got, c.want)
		}
	}
}

// Every change in the table applies to a real row, sets its time stamp column, and conflicts with
// one that moved meanwhile; a change not in the table is a conflict and changes nothing.
func TestChangeStatusFollowsTheTable(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	add := func(st Status) int64 {
		t.Helper()
		sig := &Signatory{Slug: "org-" + strconv.Itoa(int(now.UnixNano())), Name: "Org", Category: CategoryBusiness,
			Country: "FR", Website: "https://org.example", WebsiteDomain: "org.example", ContactName: "A",
			ContactRole: "B", ContactEmail: "a" + strconv.Itoa(int(now.UnixNano())) + "@org.example", Status: st, CharterVersion: "v1", CreatedAt: now,
			UpdatedAt: now, ApprovedAt: &now}
		now = now.Add(time.Second)
		if err := s.DB.Create(sig).Error; err != nil {
			t.Fatal(err)
		}
		return sig.ID
	}
	change := func(id int64, from Status, action Action) (to Status, changed bool, err error) {
		err = s.DB.Transaction(func(tx *gorm.DB) error {
			to, changed, err = changeStatus(tx, now, id, from, action, nil)
			return err
		})
		return to, changed, err
	}

	for _, tr := range transitions {
		if tr.from == noStatus || tr.to == noStatus {
			continue // creation and purge insert and delete rows rather than change them
		}
		id := add(tr.from)
		to, changed, err := change(id, tr.from, tr.action)
		if err != nil || !changed || to != tr.to {
			t.Fatalf("%s from %s: %s, %v, %v", tr.action, tr.from, to, changed, err)
		}
		var got struct {
			Status Status
			Stamp  *time.Time
		}
		column := tr.stamp
		if column == "" {
			column = "NULL"
		}
		s.DB.Raw("SELECT status, "+column+" AS stamp FROM signatories WHERE id = ?", id).Scan(&got)
		if got.Status != tr.to || (tr.stamp != "" && (got.Stamp == nil || !got.Stamp.Equal(now))) {
			t.Errorf("%s from %s: stored %s, %s = %v", tr.action, tr.from, got.Status, tr.stamp, got.Stamp)
		}
		// The same change again finds the row moved on: nothing happens.
		if _, changed, err := change(id, tr.from, tr.action); err != nil || changed {
			t.Errorf("%s from %s twice: changed %v, %v", tr.action, tr.from, changed, err)
		}
	}

	id := add(StatusRejected)
	for _, action := range AllActions {
		_, changed, err := change(id, StatusRejected, action)
		if !errors.Is(err, ErrTransition) || KindOf(err) != KindConflict || changed {
			t.Errorf("%s from rejected: changed %v, %v; want a conflict", action, changed, err)
		}
	}
	var st Status
	s.DB.Raw("SELECT status FROM signatories WHERE id = ?", id).Scan(&st)
	if st != StatusRejected {
		t.Errorf("a refused change stored %s", st)
	}
}
