package main

import (
	"strings"
	"unicode"
)

// The site the modern corpus is traffic of.
const (
	host   = "app.example.com"
	origin = "https://app.example.com"
)

var browserAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
	"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36",
	"Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
}

// apiAgents are the browsers above plus the clients apps call APIs with.
var apiAgents = append([]string{
	"okhttp/4.12.0",
	"Dart/3.4 (dart:io)",
	"MyShop/5.12.1 (iPhone; iOS 17.5; Scale/3.00)",
	"MyShop/5.11.0 (com.example.myshop; build:5110; Android 14) okhttp/4.12.0",
	"axios/1.7.2",
	"node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
	"undici",
}, browserAgents...)

var acceptLanguages = []string{
	"en-US,en;q=0.9", "en-GB,en;q=0.9", "en-US,en;q=0.5", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
	"de-DE,de;q=0.9,en;q=0.8", "es-ES,es;q=0.9", "es-419,es;q=0.9,en;q=0.8", "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
	"it-IT,it;q=0.9,en;q=0.8", "nl-NL,nl;q=0.9,en-US;q=0.8", "nb-NO,nb;q=0.9,no;q=0.8,nn;q=0.7,en-US;q=0.6,en;q=0.5",
	"pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", "ja-JP,ja;q=0.9,en;q=0.8", "zh-CN,zh;q=0.9", "zh-TW,zh;q=0.9,en-US;q=0.8",
	"ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ru-RU,ru;q=0.9,en;q=0.8", "tr-TR,tr;q=0.9,en-US;q=0.8", "sv-SE,sv;q=0.9",
	"fr-CA,fr;q=0.9,en-CA;q=0.8,en;q=0.7", "en-IN,en;q=0.9,hi;q=0.8", "ar-EG,ar;q=0.9,en;q=0.8", "he-IL,he;q=0.9,en;q=0.8",
	"*",
}

var consentValues = []string{
	`{"necessary":true,"analytics":false,"marketing":false}`,
	`{"necessary":true,"analytics":true,"marketing":false}`,
	`{"necessary":true,"analytics":true,"marketing":true,"v":2}`,
	"accepted", "essential-only",
}

var scopes = []string{
	"read:orders write:orders", "openid profile email", "read:profile", "admin:read", "read:projects write:projects read:comments",
}

// appPages are pages of the single-page app that call the API.
var appPages = []string{
	"/", "/dashboard", "/orders", "/orders/1042", "/settings/profile", "/settings/billing", "/projects/alpha/board",
	"/inbox", "/products?category=shoes", "/checkout", "/cart", "/search?q=linen+shirt", "/admin/users",
}

// A person is a name an account could have.
type person struct{ first, last string }

func (p person) full() string { return p.first + " " + p.last }

// email makes an address from the name: letters folded to ASCII, the
// apostrophe kept (it is valid in a local part), spaces dropped.
func (p person) email() string {
	local := strings.ToLower(fold(p.first) + "." + fold(p.last))
	local = strings.NewReplacer(" ", "", "-", "").Replace(local)
	if local == "." || strings.ContainsFunc(local, func(r rune) bool { return r > unicode.MaxASCII }) {
		local = "user" + strings.Repeat("x", len(p.first)%5)
	}
	return local + "@" + emailDomains[(len(p.first)*7+len(p.last))%len(emailDomains)]
}

// fold removes the accents of the names here: "Zoë" becomes "Zoe".
func fold(s string) string { return accents.Replace(s) }

var accents = strings.NewReplacer(
	"á", "a", "à", "a", "ã", "a", "ä", "a", "ă", "a", "é", "e", "è", "e", "ë", "e", "ễ", "e", "í", "i", "ï", "i", "ı", "i",
	"ó", "o", "ö", "o", "ø", "o", "ú", "u", "ü", "u", "ñ", "n", "ç", "c", "ğ", "g", "ł", "l", "ß", "ss",
	"Á", "A", "É", "E", "Ó", "O", "Ø", "O", "Ç", "C", "Ł", "L", "Ö", "O", "Ü", "U",
)

var emailDomains = []string{"example.com", "example.org", "mail.example.net", "example.co.uk", "example.ie", "example.fr"}

// people mixes names with apostrophes, hyphens, particles, accents and
// scripts other than Latin, as sign-up forms receive them.
var people = func() []person {
	firsts := []string{"Mary", "Sean", "Aoife", "Zoë", "José", "Søren", "Siobhán", "Björn", "Chloé", "Renée", "François",
		"Łukasz", "Jürgen", "Ana-María", "Mary-Kate", "Ólafur", "Nguyễn Văn", "Dmitri", "Aisha", "Kwame", "Priya", "Wei",
		"Yuki", "Fatima", "Jean-Luc", "D'Arcy", "Ren", "Alex", "Sam", "Taylor", "Jordan", "Chris", "Dana", "Noor", "Mateo",
		"Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Hiro", "Ngozi", "Tomás", "Zainab", "Ilse", "Pádraig",
		"Дмитрий", "美咲", "Sofía", "Małgorzata", "Ciarán", "Eoghan", "Joël", "Anaïs", "Oğuz", "Çağla"}
	lasts := []string{"O'Brien", "D'Angelo", "O'Neill", "D'Souza", "McDonald", "van der Berg", "de la Cruz", "Smith-Jones",
		"García", "Müller", "Nguyen", "Kowalski", "Østergaard", "L'Écuyer", "dell'Acqua", "N'Diaye", "Al-Farsi",
		"Saint-Exupéry", "O'Connor-Walsh", "Mac Giolla Phádraig", "von Trapp", "St. John", "D'Alessandro", "Ó Súilleabháin",
		"Smith", "Johnson", "Lee", "Patel", "Kim", "Okafor", "Tanaka", "Rossi", "Dubois", "Jansen", "Novak", "Silva",
		"Cohen", "Haddad", "Andersson", "Ivanova", "Yılmaz", "Schröder", "L'Heureux", "d'Artagnan", "O'Sullivan",
		"MacLeod", "FitzGerald", "De'Ath", "Wong", "Chen", "Петров", "佐藤"}
	var ps []person
	for i, f := range firsts {
		for j := 0; j < 3; j++ {
			ps = append(ps, person{f, lasts[(i*7+j*13)%len(lasts)]})
		}
	}
	return ps
}()

var companies = []string{
	"Ben & Jerry's", "Procter & Gamble", "AT&T", "Marks & Spencer", "Johnson & Johnson", "Lowe's", "McDonald's",
	"Macy's", "Trader Joe's", "Toys \"R\" Us", "Barnes & Noble", "H&M", "Dunkin'", "Kellogg's", "O'Reilly Media",
	"Stop & Shop", "Crate & Barrel", "Sainsbury's", "Dr. Oetker", "Yahoo!", "E*TRADE", "Bed Bath & Beyond",
	"Union Pacific", "Select Comfort", "Drop Inc.", "Acme Corp.", "Initech", "Globex (EU) Ltd.", "Müller GmbH & Co. KG",
}

var jobTitles = []string{
	"VP, Sales & Marketing", "Head of R&D", "Engineer (Backend)", "Director — Operations", "Sr. Product Manager",
	"CTO / Co-founder", "Customer Success Lead", "Chief of Staff", "Data Analyst (contract)", "Owner",
}

var cities = []struct{ city, postcode, country string }{
	{"Dublin", "D02 X285", "IE"}, {"Cork", "T12 RX2K", "IE"}, {"London", "SW1A 1AA", "GB"}, {"Paris", "75011", "FR"},
	{"Berlin", "10115", "DE"}, {"São Paulo", "01310-100", "BR"}, {"Québec", "G1R 4P5", "CA"}, {"New York", "10001", "US"},
	{"Coeur d'Alene", "83814", "US"}, {"St. John's", "A1C 5M2", "CA"}, {"Zürich", "8001", "CH"}, {"Kraków", "31-001", "PL"},
	{"Tokyo", "100-0005", "JP"}, {"Bengaluru", "560001", "IN"}, {"Lagos", "100001", "NG"}, {"Martha's Vineyard", "02568", "US"},
	{"L'Aquila", "67100", "IT"}, {"'s-Hertogenbosch", "5211", "NL"}, {"Llanfairpwllgwyngyll", "LL61 5UJ", "GB"},
}

var streets = []string{
	"12 O'Connell Street", "221B Baker Street", "1600 Amphitheatre Pkwy", "4 Rue de l'Église", "Apt. 5, 17 Union Square",
	"Flat 3/2, 45 Drop Lane", "100 Main St., Suite #400", "Unit 7 (rear), 2 Select Rd", "Calle de Alcalá, 50, 3º izq.",
	"Hauptstraße 5a", "P.O. Box 1234", "1-2-3 Marunouchi, Chiyoda-ku", "8 Rue du Faubourg Saint-Honoré",
}

// products are names of things a shop sells, with inches, quotes,
// ampersands and words like select and union.
var products = []string{
	`Men's Trail Running Shoe 10" Gaiter`, "Kids' School Backpack (22 L)", `27" 4K Monitor — IPS, 144 Hz`,
	"USB-C to USB-C Cable (2 m)", `Chef's Knife 8"`, "Learning SQL, 3rd Edition", "Drop-Leaf Dining Table",
	"Union Square Canvas Tote", "Select Comfort Memory Foam Pillow", "Salt & Pepper Grinder Set", "Mr. & Mrs. Mug Set",
	"Rock 'n' Roll Vinyl Box Set", "Women's Linen Shirt, Relaxed Fit", "Smart Plug (2-pack) w/ Energy Monitor",
	"Noise-Cancelling Headphones — Black/Silver", `6'6" Christmas Tree (pre-lit)`, "100% Merino Wool Socks ×3",
	"Café Crème Coffee Beans 1 kg", "Stainless Steel Water Bottle [750 ml]", "Espresso Machine (15-bar) + Milk Frother",
	"Drop Earrings, 14k Gold", "Scripted Notebook A5 — Dotted", "Alert Dog Harness (L)", "Exec Leather Chair",
	"Where's Waldo? Deluxe Edition", "Order & Chaos Board Game", "Table Lamp w/ USB Port", "Delete-Proof USB Drive 64 GB",
	"Update Kit for Model S/X", "From Scratch: A Baking Book", "Java: The Good Parts", "JavaScript & jQuery Cookbook",
}

var colors = []string{"black", "white", "navy", "forest green", "rosé", "off-white/cream", "charcoal", "sand", "red"}
var sizes = []string{"XS", "S", "M", "L", "XL", "XXL", "8", "9.5", "10", "42", "One size"}
var tags = []string{"sale", "new", "eco-friendly", "gift idea", "back-to-school", "bestseller", "limited", "made in EU", "vegan", "b2b"}
var currencies = []string{"EUR", "USD", "GBP", "CAD", "JPY", "BRL", "CHF"}
var timezones = []string{"Europe/Dublin", "America/New_York", "Asia/Tokyo", "America/Sao_Paulo", "Europe/Paris", "Asia/Kolkata", "America/St_Johns"}
var locales = []string{"en-IE", "en-US", "fr-FR", "de-DE", "pt-BR", "ja-JP", "es-MX", "fr-CA", "pl-PL", "ga-IE"}
