package main

// Short texts that users type into the free-text fields of an app. They
// are ordinary, and on purpose full of words that SQL, shells and HTML
// also use, and of the punctuation people type.

var notes = []string{
	"Please leave the parcel at the back door; ring twice.",
	"Deliver after 5pm — nobody's home before then.",
	"Gift wrap, please! It's for my mum's 60th (shh, it's a surprise).",
	"Can you drop it off with the neighbour at #14 if I'm out?",
	"Select the faster courier if it's under €5 extra.",
	"Use the side entrance (the front one is being renovated).",
	"Call me on arrival: +353 (0)87 123 4567.",
	"Fragile: glassware inside. Handle with care & keep upright.",
	"No plastic packaging if possible, thanks :)",
	"Union Street entrance, buzzer 3B.",
	"Update: I moved; the new address is in my profile.",
	"From Monday to Friday only, 9–5.",
	"Where possible, combine this with order #1042.",
	"If it doesn't fit, I'd like to exchange it for a size up.",
	"Our office closes at 4:30 on Fridays, so earlier is better.",
	"Leave it in the \"safe place\" we agreed on (the shed).",
	"Please don't ring the bell; the baby's asleep.",
	"I'm allergic to nuts — is the gift basket nut-free?",
	"Drop-off point: the café on the corner, ask for Siobhán.",
	"Order for the team lunch; split into 2 bags if you can.",
}

var descriptions = []string{
	"Lightweight, breathable and made to last. Select your size below; it runs slightly small.",
	"Our best-selling tote: 100% organic cotton, 40 × 35 cm, with an inner pocket for keys & phone.",
	"Drop-in replacement for the original part (fits models 2019–2023).",
	"Hand-wash only. Don't tumble dry; lay flat to dry.",
	"Includes: 1× charger, 2× cables (USB-C/USB-A), quick-start guide.",
	"A union of style and comfort — the perfect everyday shoe.",
	"Note: colours may vary slightly from what's shown on your screen.",
	"Update (May): now available in navy and forest green!",
	"Where does it ship from? Our warehouse in Cork, Ireland.",
	"From the makers of the award-winning \"Classic\" range.",
	"Alert: limited stock; order soon to avoid disappointment.",
	"Script font engraving available at checkout (max. 20 characters).",
	"Pairs well with our Salt & Pepper set — buy both and save 10%.",
	"Executive desk organiser; holds A4 files, pens, and a 13\" laptop.",
	"The 3rd edition covers window functions, CTEs and JSON support.",
	"Water-resistant to 50 m (5 ATM); not for diving.",
	"It's the one you've seen on TV — now with a 2-year warranty.",
	"Made in Portugal from recycled materials (approx. 12 bottles per pair).",
	"Sizes run true; if you're between sizes, choose the larger one.",
	"Delete the app's cache after updating firmware to v2.1 or later.",
}

var reviewTitles = []string{
	"Does exactly what it says", "Great value for money!", "Not bad, but the strap broke", "5 stars — would buy again",
	"Meh.", "Runs small; order a size up", "Perfect gift for my dad", "Better than expected :)", "Drop the price and it's perfect",
	"Select this one over the cheaper model", "Where has this been all my life?", "OK for the price", "It's grown on me",
}

var reviewBodies = []string{
	"I've had it for 3 months now and it's holding up well. The zip is a bit stiff, but that's my only complaint.",
	"Arrived on time and well packed. My daughter loves it — she's used it every day since.",
	"Honestly? It's fine. Not amazing, not terrible. I'd probably select a different colour next time.",
	"The instructions were confusing (step 4 especially), but once assembled it's rock solid.",
	"Customer service were great when the first one arrived damaged; they sent a replacement within 2 days.",
	"Don't believe the 1-star reviews: mine works perfectly with the latest update.",
	"I dropped it from about 1 m onto tiles and it survived. Impressive!",
	"Bought two: one for home & one for the office. Would recommend to anyone who's on the fence.",
	"Sound is great, battery life is \"only\" 20 hours, which is still more than I need.",
	"My husband's review: 'best purchase of the year'. Mine: second best, after the coffee machine.",
	"The union of the two handles feels flimsy; otherwise good.",
	"Where it shines is the battery — a full week between charges.",
	"From unboxing to first use took 10 minutes. No app, no account, no nonsense.",
	"It does what it says on the tin; nothing more, nothing less.",
}

var taskTitles = []string{
	"Update the select menu styling on mobile", "Drop support for Node 16", "Fix: union of filters returns duplicates",
	"Delete stale feature flags", "Add 'Where did you hear about us?' field to sign-up", "Alert the on-call rotation when the queue backs up",
	"Script the monthly invoice export", "Migrate the order table to the new schema", "Investigate slow search queries (p99 > 2s)",
	"Write docs for the /v2/orders endpoint", "Review O'Brien's PR #482", "Replace moment.js with date-fns",
	"Exec summary for Q3 board meeting", "Order new laptops for the interns", "Make the 'Drop files here' area accessible",
	"Join the two onboarding flows into one", "Rename 'Insert image' button to 'Add image'", "Update copy: \"Free shipping over €50\"",
}

var taskDescriptions = []string{
	"Right now the dropdown overflows on small screens. We should select a max-height and make it scroll.",
	"Node 16 is EOL. Drop it from the CI matrix and update engines in package.json.",
	"When both filters are set, the union contains the same product twice; de-duplicate by id.",
	"See the list in the spreadsheet (tab \"flags\"); anything older than 6 months can go.",
	"Marketing asked for this; options: search, friend, podcast, other (free text).",
	"Page the on-call engineer if more than 1,000 jobs wait for over 5 minutes.",
	"Needs: CSV with date, customer, amount & VAT; upload to the finance folder by the 3rd.",
	"Plan: add the new columns, backfill, switch reads, then drop the old ones in a later release.",
	"Looks like the 'from' and 'to' date filters aren't using the index. Check the query plan.",
	"Follow the style of the v1 docs; include examples for curl and for the JS SDK.",
}

var messages = []string{
	"Hi! Is this still available?", "Thanks so much — that's exactly what I needed :)", "Can we move our call to 3pm?",
	"I'll drop by the office tomorrow morning.", "Could you select a time that works for you next week?",
	"Running 5 min late, sorry!", "Where should I send the signed contract?", "From now on, please cc Aoife on these emails.",
	"Quick update: the shipment left the warehouse today.", "Don't forget the team lunch on Friday (12:30, usual place).",
	"LOL, that's brilliant 😂", "Ok, deal. Let's do €40 and I'll pick it up Saturday.", "Is it OK if my brother collects it?",
	"What's the wifi password at the venue?", "Happy birthday!!! 🎉🎂", "Can you send me the \"final\" version (v3)?",
	"Alert: the printer's out of toner again.", "I'm on the 8:15 train; see you at 9.", "Did you get my voicemail?",
	"Yes — 100%. Count me in.", "Let's union our lists and pick the top 5 together.", "Please delete my previous message, wrong chat!",
}

var bios = []string{
	"Product designer & part-time potter. Dublin → Lisbon.", "Coffee first; questions later. ☕",
	"I write code (mostly Go & TypeScript) and terrible puns.", "Mum of two, runner, and proud owner of a very loud parrot.",
	"Ex-teacher; now building tools for teachers. Views are my own.", "\"Stay hungry, stay foolish.\" — still trying.",
	"Select works: portfolio at example.com/~dana", "Data nerd. Union member. Cyclist.", "Drop me a line if you're in Cork!",
	"Lifelong learner; currently learning Japanese (日本語) & the ukulele.", "He/him · Berlin · Open to freelance work",
	"Living the dream one spreadsheet at a time (=SUM(happiness)).", "Where there's a will, there's a way.",
}

var commitMessages = []string{
	"Fix typo in README", "Drop unused columns from users table", "Update dependencies (npm audit fix)",
	"Merge pull request #42 from dana/select-all-checkbox", "Add 'where' clause builder for reports",
	"Revert \"Delete legacy export script\"", "Union of tags now de-duplicated", "Bump express from 4.19.2 to 4.21.0",
	"Alert on failed payments (closes #311)", "Refactor: extract OrderService from routes/orders.js",
	"Handle O'Brien-style names in the CSV import", "WIP: exec summary dashboard", "Docs: explain from/to date params",
	"Fix #128: drop-down closes on scroll", "Use prepared statements everywhere (no string concatenation)",
}

var eventTitles = []string{
	"Drop-in office hours", "Union meeting (all staff)", "Select committee briefing", "Quarterly review: Q3 → Q4",
	"Lunch & learn: Intro to SQL", "Script read-through, Act II", "Fire alert drill", "1:1 Dana / Sam",
	"Team offsite (don't be late!)", "Exec sync", "Sprint planning #24", "Parents' evening",
}

var projectNames = []string{
	"Website redesign 2025", "Q3 launch — \"Project Union\"", "Data warehouse migration", "Mobile app v5",
	"Drop shipping pilot", "Customer alerts", "Selectors & filters revamp", "O'Reilly partnership", "Where-to-buy map",
}
