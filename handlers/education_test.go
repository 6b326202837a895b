package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"charter/mail/mailtest"
	"charter/models"
)

// A school signs up as "education and childcare", a reviewer approves it, and the category
// reaches the filters, the home page's counts, the CSV and the JSON as the code "education"; a
// reviewer can move another signatory into it.
func TestEducationCategoryRoundTrip(t *testing.T) {
	a := newAdminApp(t)
	smtp := mailtest.Start(t)
	a.startMailer(smtp.URL())

	for _, tc := range []struct{ page, label string }{
		{"/sign", "Education and childcare — schools, kindergartens, colleges, children's centres"},
		{"/ru/sign", "Образование и детские учреждения — школы, детские сады, колледжи, центры детского творчества"},
	} {
		d := doc(t, a.get(tc.page))
		if got := text(d.Find(`label[for="category-education"]`)); got != tc.label || d.Find(`input#category-education[value="education"]`).Length() != 1 {
			t.Errorf("%s: the education choice is labelled %q", tc.page, got)
		}
	}

	form := validSignup(a)
	form.Set("name", "Средняя общеобразовательная школа № 57")
	form.Set("category", "education")
	form.Set("country", "RU")
	form.Set("website", "https://school57.example.ru")
	form.Set("contact-email", "director@school57.example.ru")
	if rec := a.sendForm("/sign", "/sign", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /sign = %d: %s", rec.Code, rec.Body)
	}
	link := pathOf(t, smtp.Wait(t, 1, 10*time.Second)[0].Link("/confirm/"))
	if rec := a.sendForm(link, link, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm = %d", rec.Code)
	}
	school := signatoryByEmail(t, a.store, "director@school57.example.ru")
	if school.Category != models.CategoryEducation {
		t.Fatalf("stored category %q", school.Category)
	}

	a.signIn()
	page := "/admin/signatories/" + itoa(school.ID)
	if got := text(doc(t, a.get(page)).Find(`th:contains("Category") + td`)); got != "Education and childcare" {
		t.Errorf("the reviewer sees the category as %q", got)
	}
	if rec := a.post(page+"/approve", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve = %d", rec.Code)
	}

	// The filters and counts.
	for _, tc := range []struct{ target, name string }{
		{"/signatories?category=education", "Education and childcare"},
		{"/ru/signatories?category=education", "Образование и детские учреждения"},
	} {
		d := doc(t, a.get(tc.target))
		if got := text(d.Find(`#category option[value="education"]`)); !strings.Contains(got, tc.name) {
			t.Errorf("%s: the filter offers %q", tc.target, got)
		}
		if !strings.Contains(text(d.Find("main")), school.Name) {
			t.Errorf("%s does not list the school", tc.target)
		}
	}
	if got := text(doc(t, a.get("/signatories?category=academia")).Find("main")); strings.Contains(got, school.Name) {
		t.Error("the school is listed under academia")
	}
	home := doc(t, a.get("/"))
	if got := text(home.Find(`.figures li:has(a[href="/signatories?category=education"]) .count`)); got != "1" {
		t.Errorf("home page: %q schools", got)
	}

	// The open data: a new value of the same field.
	records, err := csv.NewReader(strings.NewReader(a.get("/signatories.csv").Body.String())).ReadAll()
	if err != nil || len(records) != 2 || records[0][2] != "category" || records[1][2] != "education" {
		t.Errorf("CSV %q, %v", records, err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(a.get("/signatories.json").Body.Bytes(), &rows); err != nil || len(rows) != 1 || rows[0]["category"] != "education" {
		t.Errorf("JSON %v, %v", rows, err)
	}

	// The badge of a school is the badge of any signatory.
	if rec := a.get("/signatories/" + a.signatory(school.ID).Slug + "/badge.svg"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<svg") {
		t.Errorf("badge = %d", rec.Code)
	}

	// The console's edit moves a signatory into the category, and out.
	edit := url.Values{"name": {school.Name}, "category": {"academia"}, "country": {"RU"}, "website": {school.Website}, "statement": {""}}
	if rec := a.post(page+"/edit", edit); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit = %d: %s", rec.Code, rec.Body)
	}
	if got := a.signatory(school.ID).Category; got != models.CategoryAcademia {
		t.Errorf("after the edit: %q", got)
	}
	edit.Set("category", "education")
	if rec := a.post(page+"/edit", edit); rec.Code != http.StatusSeeOther || a.signatory(school.ID).Category != models.CategoryEducation {
		t.Errorf("edit back = %d, %q", rec.Code, a.signatory(school.ID).Category)
	}
}
