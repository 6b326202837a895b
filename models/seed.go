package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// SeedEmailDomain marks demo signatories: every contact address of a seeded row ends with it.
// ".invalid" is reserved (RFC 2606), so no mail to a seeded contact can ever be delivered.
const SeedEmailDomain = "seed.invalid"

// SeedOptions tune Seed.
type SeedOptions struct {
	// Force allows seeding a database that already holds real (not seeded) signatories.
	Force bool
	// CharterVersion is recorded as the version every demo signatory signed.
	CharterVersion string
	// Seed makes the names and dates reproducible.
	Seed uint64
	// Progress, if set, is told how many rows are stored after each batch.
	Progress func(done int)
}

// ErrRealSignatories is returned by Seed when the database holds signatories it did not make.
var ErrRealSignatories = Errorf(KindConflict, "error.seed_real")

// seedBatch is the number of rows one INSERT statement writes, and seedTx the number one
// transaction commits.
const (
	seedBatch = 100
	seedTx    = 20000
)

var seedColumns = []string{"id", "slug", "name", "name_key", "name_skeleton", "category", "country", "website", "website_domain",
	"statement", "contact_name", "contact_role", "contact_email", "status", "charter_version",
	"created_at", "updated_at", "confirmed_at", "approved_at"}

// Seed adds n approved demo signatories with realistic names in several scripts, every category,
// many countries and approval dates spread over the last three years. Their contact addresses are
// at SeedEmailDomain. It refuses a database with real signatories unless opts.Force.
func (s *Store) Seed(ctx context.Context, n int, opts SeedOptions) error {
	conn, err := s.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if !opts.Force {
		var real bool
		err := conn.QueryRowContext(ctx, s.dialect.bind("SELECT EXISTS (SELECT 1 FROM signatories WHERE contact_email NOT LIKE ?)"),
			"%@"+SeedEmailDomain).Scan(&real)
		if err != nil {
			return err
		}
		if real {
			return ErrRealSignatories
		}
	}
	if setup, reset := s.dialect.bulkLoad(); setup != "" {
		if _, err := conn.ExecContext(ctx, setup); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), reset)
	}

	var maxID int64
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM signatories").Scan(&maxID); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	end := s.Now().Truncate(time.Second)
	start := end.AddDate(-3, 0, 0)
	step := end.Sub(start) / time.Duration(max(n, 1))

	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(seedColumns)), ",") + ")"
	insert := func(rows int) string {
		return s.dialect.bind("INSERT INTO signatories (" + strings.Join(seedColumns, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+",", rows), ","))
	}
	full, err := conn.PrepareContext(ctx, insert(seedBatch))
	if err != nil {
		return err
	}
	defer full.Close()

	args := make([]any, 0, seedBatch*len(seedColumns))
	folded := map[string][3]string{}
	for done := 0; done < n; {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for inTx := 0; inTx < seedTx && done < n; {
			rows := min(seedBatch, n-done)
			args = args[:0]
			for i := 0; i < rows; i++ {
				id := maxID + int64(done+i) + 1
				approved := start.Add(time.Duration(done+i)*step + time.Duration(rng.Int64N(int64(step)+1)))
				args = append(args, seedRow(rng, folded, id, approved, opts.CharterVersion)...)
			}
			stmt := tx.StmtContext(ctx, full)
			if rows < seedBatch {
				stmt, err = tx.PrepareContext(ctx, insert(rows))
				if err != nil {
					tx.Rollback()
					return err
				}
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				tx.Rollback()
				return fmt.Errorf("seed: %w", err)
			}
			done += rows
			inTx += rows
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(done)
		}
	}
	if q := s.dialect.idsInserted("signatories"); q != "" {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// seedRow makes the column values of one demo signatory, in seedColumns order. folded caches the
// name key, slug base and skeleton of each name. The names, categories, countries and statements
// are ones PublicInput.Normalize accepts unchanged (TestSeedPassesTheNormalizer); the websites are
// under the reserved top-level domain .example, which it refuses, so that no demo link leads to
// a real site: their domain is the host itself.
func seedRow(rng *rand.Rand, folded map[string][3]string, id int64, approved time.Time, charterVersion string) []any {
	lang := seedLanguages[rng.IntN(len(seedLanguages))]
	cat := seedCategories[rng.IntN(len(seedCategories))]
	name, country := lang.name(rng, cat)
	keys, ok := folded[name]
	if !ok { // the same few thousand names recur: fold each once
		keys = [3]string{NameKey(name), Slugify(name), NameSkeleton(name)}
		if keys[1] == "" {
			keys[1] = "organisation"
		}
		folded[name] = keys
	}
	base := keys[1]
	slug := base + "-" + strconv.FormatInt(id, 36)
	host := base
	if len(host) > 40 {
		host = strings.TrimRight(host[:40], "-")
	}
	host += "-" + strconv.FormatInt(id, 36) + ".example"
	statement := ""
	if rng.IntN(3) > 0 {
		statement = seedStatements[rng.IntN(len(seedStatements))]
	}
	created := approved.Add(-time.Duration(1+rng.IntN(14*24)) * time.Hour)
	confirmed := created.Add(time.Duration(10+rng.IntN(600)) * time.Minute)
	return []any{
		id, slug, name, keys[0], keys[2], string(cat), country,
		"https://" + host + "/", host, statement,
		"Demo Contact " + strconv.FormatInt(id, 10), "Director",
		"contact-" + strconv.FormatInt(id, 10) + "@" + SeedEmailDomain,
		string(StatusApproved), charterVersion,
		created.UTC(), approved.UTC(), confirmed.UTC(), approved.UTC(),
	}
}

// seedCategories is the mix of categories of the demo signatories: as with the real charter, most
// of them are schools, kindergartens and colleges.
var seedCategories = []Category{CategoryEducation, CategoryEducation, CategoryEducation, CategoryEducation,
	CategoryGovernment, CategoryBusiness, CategoryCivilSociety, CategoryAcademia, CategoryInternational}

// seedLanguage makes names of organisations in one language: a kind of organisation that fits
// the category, a topic and often a place; or, for education, the name of a school or
// kindergarten.
type seedLanguage struct {
	heads map[Category][]string
	// schools are names of schools, kindergartens and colleges, in which {n} is a number and
	// {place} a place.
	schools   []string
	topics    []string
	places    []string // "City:CC": a place and the ISO code of its country
	countries []string // for names without a place
	joiner    string   // between the parts: a space, or nothing for Chinese and Japanese
}

// name makes an organisation's name and gives the country it is in.
func (l seedLanguage) name(rng *rand.Rand, cat Category) (name, country string) {
	if cat == CategoryEducation {
		place, country, _ := strings.Cut(l.places[rng.IntN(len(l.places))], ":")
		return l.school(l.schools[rng.IntN(len(l.schools))], 1+rng.IntN(150), place), country
	}
	heads := l.heads[cat]
	parts := []string{heads[rng.IntN(len(heads))], l.topics[rng.IntN(len(l.topics))]}
	country = l.countries[rng.IntN(len(l.countries))]
	if rng.IntN(4) > 0 {
		place, code, _ := strings.Cut(l.places[rng.IntN(len(l.places))], ":")
		parts, country = append(parts, place), code
	}
	if l.joiner == "" { // place first, as such names are written
		parts[0], parts[len(parts)-1] = parts[len(parts)-1], parts[0]
	}
	return strings.Join(parts, l.joiner), country
}

// school fills in the name of a school.
func (l seedLanguage) school(pattern string, n int, place string) string {
	return strings.NewReplacer("{n}", strconv.Itoa(n), "{place}", place).Replace(pattern)
}

var seedLanguages = []seedLanguage{
	{ // English
		heads: map[Category][]string{
			CategoryGovernment:    {"Department for", "Office of", "Commissioner for", "Ministry of"},
			CategoryBusiness:      {"Brightside", "Kidsafe Labs", "Northwind", "Playwell Games", "Acme Media"},
			CategoryCivilSociety:  {"Foundation for", "Trust for", "Alliance for", "Parents for"},
			CategoryAcademia:      {"Institute of", "Centre for Research on", "University Lab for"},
			CategoryInternational: {"International Alliance for", "Global Coalition for", "World Forum on"},
		},
		schools:   []string{"{place} Primary School", "St Mary's Primary School", "Little Acorns Nursery", "{place} Sixth Form College", "Riverside Academy", "Sunny Days Kindergarten", "{place} Children's Centre"},
		topics:    []string{"Child Online Safety", "Digital Childhood", "Safer Internet", "Media Literacy", "Children's Rights Online", "Privacy by Design"},
		places:    []string{"London:GB", "Dublin:IE", "Nairobi:KE", "Sydney:AU", "Toronto:CA", "Lagos:NG", "Accra:GH", "Auckland:NZ", "Singapore:SG", "Mumbai:IN", "Boston:US", "Cape Town:ZA"},
		countries: []string{"GB", "IE", "US", "CA", "AU", "NZ", "KE", "NG", "GH", "ZA", "IN", "SG"},
		joiner:    " ",
	},
	{ // French
		heads: map[Category][]string{
			CategoryGovernment:    {"Ministère de", "Délégation à", "Préfecture pour"},
			CategoryBusiness:      {"Société Générale de", "Éditions", "Numérique & Cie"},
			CategoryCivilSociety:  {"Fondation", "Association", "Collectif", "Fédération"},
			CategoryAcademia:      {"Université", "Institut", "École Supérieure", "Observatoire"},
			CategoryInternational: {"Organisation Internationale de", "Réseau Francophone de"},
		},
		schools:   []string{"École primaire Jean-Jaurès", "Collège Victor-Hugo", "Lycée Jules-Ferry", "Crèche Les Petits Loups", "École maternelle Les Tilleuls", "Lycée professionnel de {place}"},
		topics:    []string{"l'Éducation Numérique", "l'Enfance Connectée", "Protection de l'Enfance", "Jeunesse et Écrans", "Éthique Numérique"},
		places:    []string{"Paris:FR", "Lyon:FR", "Montréal:CA", "Genève:CH", "Québec:CA", "Bruxelles:BE", "Dakar:SN", "Abidjan:CI", "Luxembourg:LU", "Tunis:TN", "Rabat:MA"},
		countries: []string{"FR", "BE", "CH", "CA", "LU", "SN", "CI", "MA", "TN"},
		joiner:    " ",
	},
	{ // German
		heads: map[Category][]string{
			CategoryGovernment:    {"Bundesministerium für", "Landesamt für", "Behörde für"},
			CategoryBusiness:      {"Spielwerk GmbH", "Netzwerk AG", "Lernfreude GmbH"},
			CategoryCivilSociety:  {"Stiftung", "Verein", "Bündnis", "Elterninitiative"},
			CategoryAcademia:      {"Universität", "Hochschule", "Forschungsinstitut"},
			CategoryInternational: {"Internationale Vereinigung für", "Europäisches Netzwerk für"},
		},
		schools:   []string{"Grundschule am Park", "Gymnasium {place}", "Kita Sonnenschein", "Realschule am Stadtwald", "Berufskolleg {place}"},
		topics:    []string{"Kinderschutz Digital", "Medienkompetenz", "Jugend und Netz", "Sicheres Spielen", "Digitale Bildung"},
		places:    []string{"München:DE", "Köln:DE", "Zürich:CH", "Wien:AT", "Düsseldorf:DE", "Graz:AT", "Bern:CH", "Vaduz:LI"},
		countries: []string{"DE", "AT", "CH", "LI"},
		joiner:    " ",
	},
	{ // Spanish
		heads: map[Category][]string{
			CategoryGovernment:    {"Ministerio de", "Secretaría de", "Defensoría de"},
			CategoryBusiness:      {"Juegos Niñería S.A.", "Tecnología Feliz S.L.", "Pequeños Pasos S.A."},
			CategoryCivilSociety:  {"Fundación", "Asociación", "Red", "Movimiento"},
			CategoryAcademia:      {"Universidad", "Instituto", "Observatorio"},
			CategoryInternational: {"Organización Iberoamericana de", "Red Latinoamericana de"},
		},
		schools:   []string{"Colegio San José", "Escuela Primaria {n}", "Jardín de Infantes Arcoíris", "Instituto de Educación Secundaria de {place}"},
		topics:    []string{"Niñez Digital", "Protección Infantil en Línea", "Educación y Tecnología", "Infancia Segura"},
		places:    []string{"Bogotá:CO", "Málaga:ES", "Córdoba:AR", "México:MX", "Asunción:PY", "Lima:PE", "Santiago:CL", "Montevideo:UY", "Quito:EC"},
		countries: []string{"ES", "MX", "AR", "CO", "CL", "PE", "UY", "PY", "EC"},
		joiner:    " ",
	},
	{ // Portuguese
		heads: map[Category][]string{
			CategoryGovernment:    {"Ministério da", "Secretaria de", "Conselho Nacional de"},
			CategoryBusiness:      {"Brincar Ltda.", "Conecta S.A.", "Aprender Juntos Ltda."},
			CategoryCivilSociety:  {"Fundação", "Associação", "Instituto Cidadão", "Movimento"},
			CategoryAcademia:      {"Universidade", "Centro de Estudos", "Faculdade"},
			CategoryInternational: {"Comunidade Lusófona de", "Rede Internacional de"},
		},
		schools:   []string{"Escola Estadual Machado de Assis", "Creche Pequeno Príncipe", "Colégio Santa Maria", "Escola Básica de {place}"},
		topics:    []string{"Infância Conectada", "Proteção Digital", "Educação Midiática", "Direitos da Criança"},
		places:    []string{"São Paulo:BR", "Brasília:BR", "Lisboa:PT", "Belém:BR", "Luanda:AO", "Maputo:MZ", "Porto:PT", "Praia:CV"},
		countries: []string{"PT", "BR", "AO", "MZ", "CV"},
		joiner:    " ",
	},
	{ // Polish, Czech, Turkish
		heads: map[Category][]string{
			CategoryGovernment:    {"Ministerstwo", "Úřad pro", "Bakanlığı"},
			CategoryBusiness:      {"Zabawa Sp. z o.o.", "Hračky s.r.o.", "Oyun A.Ş."},
			CategoryCivilSociety:  {"Fundacja", "Nadace", "Derneği", "Stowarzyszenie"},
			CategoryAcademia:      {"Uniwersytet", "Univerzita", "Üniversitesi"},
			CategoryInternational: {"Międzynarodowa Sieć", "Mezinárodní Síť"},
		},
		schools:   []string{"Szkoła Podstawowa nr {n}", "Przedszkole nr {n}", "Mateřská škola Sluníčko", "Základní škola {place}", "Atatürk İlkokulu"},
		topics:    []string{"Dzieci w Sieci", "Bezpečný Internet", "Çocuk Hakları", "Ochrona Dzieci", "Dětská Práva"},
		places:    []string{"Łódź:PL", "Kraków:PL", "Plzeň:CZ", "Brno:CZ", "İstanbul:TR", "İzmir:TR", "Gdańsk:PL", "Košice:SK"},
		countries: []string{"PL", "CZ", "TR", "SK"},
		joiner:    " ",
	},
	{ // Russian, Ukrainian, Kazakh
		heads: map[Category][]string{
			CategoryGovernment:    {"Министерство", "Департамент", "Уполномоченный по"},
			CategoryBusiness:      {"ООО «Игротека»", "АО «Цифра»", "ООО «Ёлка»"},
			CategoryCivilSociety:  {"Фонд", "Ассоциация", "Союз", "Центр"},
			CategoryAcademia:      {"Университет", "Институт", "Лаборатория"},
			CategoryInternational: {"Международная ассоциация", "Евразийская сеть"},
		},
		schools:   []string{"Средняя общеобразовательная школа № {n}", "МБОУ «Школа № {n}»", "Гимназия № {n}", "Лицей № {n}", "МАДОУ «Детский сад № {n} „Солнышко“»", "Детский сад № {n} «Ромашка»", "ГБПОУ «Колледж связи № {n}»", "Центр детского творчества «Радуга»"},
		topics:    []string{"«Дети онлайн»", "цифровой грамотности", "защиты детства", "безопасного интернета", "детских прав"},
		places:    []string{"Москва:RU", "Казань:RU", "Новосибирск:RU", "Алматы:KZ", "Минск:BY", "Київ:UA", "Екатеринбург:RU", "Бишкек:KG", "Ташкент:UZ", "Ереван:AM"},
		countries: []string{"RU", "KZ", "BY", "KG", "UZ", "UA", "AM"},
		joiner:    " ",
	},
	{ // Greek
		heads: map[Category][]string{
			CategoryGovernment:    {"Υπουργείο", "Γενική Γραμματεία"},
			CategoryBusiness:      {"Παιχνίδι Α.Ε.", "Ψηφιακή Ε.Π.Ε."},
			CategoryCivilSociety:  {"Ίδρυμα", "Σύλλογος", "Ένωση"},
			CategoryAcademia:      {"Πανεπιστήμιο", "Ινστιτούτο", "Κέντρο Ερευνών"},
			CategoryInternational: {"Διεθνές Δίκτυο"},
		},
		schools:   []string{"{n}ο Δημοτικό Σχολείο", "{n}ο Νηπιαγωγείο", "{n}ο Γυμνάσιο"},
		topics:    []string{"Ψηφιακής Ασφάλειας", "Προστασίας Παιδιού", "Παιδικής Ηλικίας", "Ψηφιακής Παιδείας"},
		places:    []string{"Αθήνα:GR", "Θεσσαλονίκη:GR", "Λευκωσία:CY", "Πάτρα:GR"},
		countries: []string{"GR", "CY"},
		joiner:    " ",
	},
	{ // Chinese
		heads: map[Category][]string{
			CategoryGovernment:    {"教育局", "网信办"},
			CategoryBusiness:      {"科技有限公司", "网络有限公司"},
			CategoryCivilSociety:  {"保护协会", "公益基金会"},
			CategoryAcademia:      {"大学", "研究院"},
			CategoryInternational: {"国际联盟"},
		},
		schools:   []string{"{place}第{n}中学", "{place}实验小学", "{place}阳光幼儿园"},
		topics:    []string{"儿童", "青少年", "数字素养", "网络安全"},
		places:    []string{"北京:CN", "上海:CN", "深圳:CN", "台北:TW", "香港:HK", "成都:CN", "澳门:MO", "新加坡:SG"},
		countries: []string{"CN", "TW", "HK", "SG", "MO"},
	},
	{ // Japanese
		heads: map[Category][]string{
			CategoryGovernment:    {"庁", "教育委員会"},
			CategoryBusiness:      {"株式会社", "ゲームス株式会社"},
			CategoryCivilSociety:  {"財団", "協会"},
			CategoryAcademia:      {"研究所", "大学"},
			CategoryInternational: {"国際ネットワーク"},
		},
		schools:   []string{"{place}さくら幼稚園", "{place}みどり小学校"},
		topics:    []string{"こどもデジタル", "子ども安全", "情報教育"},
		places:    []string{"東京:JP", "大阪:JP", "京都:JP", "札幌:JP"},
		countries: []string{"JP"},
	},
	{ // Korean
		heads: map[Category][]string{
			CategoryGovernment:    {"교육청", "위원회"},
			CategoryBusiness:      {"주식회사", "게임즈"},
			CategoryCivilSociety:  {"재단", "협회"},
			CategoryAcademia:      {"연구소", "대학교"},
			CategoryInternational: {"국제네트워크"},
		},
		schools:   []string{"{place}초등학교", "{place}중학교", "해바라기 유치원"},
		topics:    []string{"아동디지털", "청소년보호", "미디어교육"},
		places:    []string{"서울:KR", "부산:KR", "인천:KR"},
		countries: []string{"KR"},
		joiner:    " ",
	},
	{ // Arabic
		heads: map[Category][]string{
			CategoryGovernment:    {"وزارة", "هيئة"},
			CategoryBusiness:      {"شركة", "مجموعة"},
			CategoryCivilSociety:  {"جمعية", "مؤسسة"},
			CategoryAcademia:      {"جامعة", "معهد", "مركز أبحاث"},
			CategoryInternational: {"الشبكة الدولية", "المنظمة العربية"},
		},
		schools:   []string{"مدرسة النور الابتدائية", "روضة البراعم", "مدرسة الأمل الثانوية"},
		topics:    []string{"حماية الطفل", "الطفولة الرقمية", "الأمان الرقمي", "التربية الإعلامية"},
		places:    []string{"القاهرة:EG", "الرياض:SA", "عمّان:JO", "الدار البيضاء:MA", "دبي:AE", "تونس:TN", "بيروت:LB", "الدوحة:QA"},
		countries: []string{"EG", "SA", "JO", "MA", "AE", "QA", "TN", "LB"},
		joiner:    " ",
	},
}

var seedStatements = []string{
	"We design every product for children with their safety and privacy as the default.",
	"We will train all our staff in children's rights online by the end of next year.",
	"Our schools teach media literacy from the first year of primary school.",
	"Мы обязуемся защищать персональные данные детей и обучать родителей цифровой грамотности.",
	"Nous nous engageons à ne jamais cibler les enfants par la publicité comportementale.",
	"Wir veröffentlichen jedes Jahr einen Bericht über den Schutz von Kindern auf unseren Plattformen.",
	"Nos comprometemos a escuchar a niñas, niños y adolescentes antes de lanzar cada servicio.",
	"نلتزم بحماية بيانات الأطفال وتوعية الأسر بالاستخدام الآمن للإنترنت.",
}
