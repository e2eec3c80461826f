package main

import (
	"strings"
)

// minProse is the size the prose set promises.
const minProse = 1000

// proseTarget is how many sentences the prose set holds.
const proseTarget = 1200

// proseTemplates are sentence patterns; each {slot} is filled from
// proseSlots.
var proseTemplates = []string{
	"{name} said we should {verb} the {thing} before {time}.",
	"Could you {verb} the {thing} {place}? I'll be back {time}.",
	"I'm not sure whether to {verb} the {thing} or leave it {place}.",
	"Don't forget to {verb} the {thing} {time}; {name} is counting on it.",
	"{name}'s {relative} asked where the {thing} was, and nobody knew.",
	"We'll {verb} the {thing} {time}, or {time2} at the latest.",
	"The {thing} from {city} arrived {time} (a bit later than promised).",
	"Where's the {thing}? I left it {place} {time}.",
	"\"{quote}\" — that's what {name} said when we met in {city}.",
	"Select the {thing} you like best, and {name} will {verb} it for you.",
	"{name} and {name2} are driving from {city} to {city2} {time}.",
	"My {relative} can't decide between the {thing} and the {thing2}.",
	"If the {thing} isn't ready {time}, we'll {verb} it {time2}.",
	"The {event} is {time}; {name} will bring the {thing} and the {thing2}.",
	"I've {past} the {thing}, so you don't need to.",
	"Please {verb} your {thing} by {day}; the form's on the website.",
	"Our {event} moved from {day} to {day2} because of the weather.",
	"{name} dropped by {time} with a {thing} for the kids.",
	"Is the {thing} in the {room} or in the {room2}?",
	"Thanks for the {thing}, {name}! It's exactly what I wanted.",
	"We ordered the {food} and the {food2}; both were delicious.",
	"The union of {group} and {group2} meets every {day} at {clock}.",
	"Wait for {name} at the {landmark}; she's running about {n} minutes late.",
	"Update from {name}: the {event} is still on, rain or shine.",
	"An alert went out to all {group} about the {problem}.",
	"Join {name} and me for {food} {time}, if you're free.",
	"{name} wrote the script for the {event} in {n} days.",
	"Where would you put the {thing}: in the {room} or by the {landmark}?",
	"Delete the old {thing2}s; we only need the new {thing}.",
	"I'd rather {verb} the {thing} myself than wait for {name}.",
	"The table in the {room} is covered with {thing2}s again.",
	"From {city}, it's about {n} hours to {city2} by train.",
	"Please insert the {thing} into the {thing2} and press \"Start\".",
	"The exec team loved {name}'s idea about the {event}.",
	"She asked, \"Where's {name}?\" and everyone pointed at the {landmark}.",
	"About {n}% of the {group} voted yes; {name} & {name2} counted the ballots.",
	"{name} & {name2} are bringing the {food} and the {food2}.",
}

var proseSlots = map[string][]string{
	"name": {"Siobhán", "Dana", "Mr. O'Brien", "Aoife", "Jean-Luc", "Mrs. D'Angelo", "Sam", "Priya", "Kwame", "Zoë",
		"Grandad", "the landlord", "our manager", "Dr. Patel", "Uncle Pádraig", "the twins", "José", "Ms. O'Neill", "Ren", "Olivia"},
	"name2":    {"Ciarán", "Noor", "Mateo", "Ms. Kowalski", "Yuki", "Mrs. O'Sullivan", "Björn", "Fatima", "our neighbour", "the new intern"},
	"relative": {"mum", "dad", "sister", "brother", "aunt", "uncle", "cousin", "grandmother", "son", "daughter", "partner", "flatmate"},
	"verb":     {"select", "drop off", "update", "order", "pick up", "join", "wrap", "check", "move", "fix", "return", "print", "post", "collect", "book", "share"},
	"past":     {"updated", "ordered", "dropped off", "selected", "deleted", "printed", "booked", "collected", "fixed", "posted"},
	"thing": {"cake", "invoice", "tickets", "presentation", "car", "spare key", "birthday card", "parcel", "table", "report",
		"photos", "laptop", "guest list", "menu", "timetable", "flowers", "script", "contract", "umbrella", "bike"},
	"thing2":   {"chair", "notebook", "box", "lamp", "receipt", "draft", "folder", "charger", "map", "blanket", "sandwich", "leaflet"},
	"place":    {"at the front desk", "in the garage", "on the kitchen table", "by the door", "upstairs", "at reception", "in the car", "at the post office"},
	"time":     {"tomorrow", "tonight", "on Monday", "this afternoon", "next week", "by noon", "after lunch", "at the weekend", "before 5", "first thing"},
	"time2":    {"Tuesday", "the day after", "next month", "on Friday", "later tonight", "early next week"},
	"day":      {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
	"day2":     {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
	"city":     {"Dublin", "Cork", "Paris", "Lisbon", "Boston", "Berlin", "Galway", "Toronto", "St. John's", "Coeur d'Alene", "Kraków"},
	"city2":    {"London", "Belfast", "Madrid", "Rome", "New York", "Zürich", "Limerick", "Montreal", "Porto", "Vienna"},
	"quote":    {"Better late than never", "Where there's a will, there's a way", "Don't count your chickens", "It's now or never", "Union is strength", "Less is more"},
	"event":    {"party", "school play", "wedding", "meeting", "barbecue", "concert", "book club", "quiz night", "match", "reunion", "open day"},
	"room":     {"kitchen", "hall", "attic", "shed", "office", "living room", "garage", "spare room"},
	"room2":    {"bathroom", "basement", "bedroom", "porch", "utility room", "loft"},
	"food":     {"fish and chips", "lasagne", "curry", "soup of the day", "tacos", "pancakes", "roast chicken", "risotto"},
	"food2":    {"apple crumble", "salad", "garlic bread", "cheesecake", "chips", "tiramisu"},
	"group":    {"nurses", "teachers", "parents", "tenants", "drivers", "students", "volunteers", "members"},
	"group2":   {"porters", "cleaners", "coaches", "neighbours", "staff", "retirees"},
	"problem":  {"road closure", "water outage", "storm", "school bus delay", "power cut", "missing dog"},
	"landmark": {"clock tower", "bus stop", "fountain", "ticket office", "main gate", "café on the corner", "library steps"},
	"clock":    {"7:30", "noon", "6 p.m.", "half past two", "8 o'clock", "quarter to nine"},
	"n":        {"2", "3", "5", "10", "15", "20", "45"},
}

// prose returns the prose set: the hand-written sentences, then sentences
// made from the templates until there are proseTarget, none twice.
func prose() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range strings.Split(handSentences, "\n") {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	g := newGen("prose", 12)
	for len(out) < proseTarget {
		s := g.fill(pick(g, proseTemplates))
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// fill replaces each {slot} of t with a random word of the slot's list,
// and capitalises the sentence.
func (g *gen) fill(t string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}') + i
		b.WriteString(t[:i])
		words, ok := proseSlots[t[i+1:j]]
		if !ok {
			panic("prose template has an unknown slot: " + t[i:j+1]) // a bug in the templates above
		}
		b.WriteString(pick(g, words))
		t = t[j+1:]
	}
	s := strings.ReplaceAll(b.String(), "..", ".") // "at 6 p.m.."
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}
