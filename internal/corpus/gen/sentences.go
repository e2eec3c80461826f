package main

// handSentences are everyday English sentences written by hand, one a
// line: messages, reviews, notes and instructions that use words SQL,
// shells and HTML also use (select, drop, union, or, and, from, where,
// script, alert, exec, insert, update, delete, table, order, join),
// with apostrophes, semicolons, parentheses, quotes and other marks.
const handSentences = `Please select the union of both lists before the meeting.
Could you drop me off at the station on your way to work?
I'll update the spreadsheet tonight; don't wait up.
The union voted to accept the offer (finally!).
Where did you put the keys? They're not on the table.
Select your seat from the map and click "Continue".
We'll order pizza or Thai, whichever is faster.
She wrote the script for the school play in one weekend.
Don't drop the glasses — they're my grandmother's.
My exec summary is two pages; the rest is appendix.
The fire alert went off at 3 a.m. because of burnt toast.
Insert the card, wait for the beep, and then enter your PIN.
From Monday, the office opens at 8:30 instead of 9.
Delete the old photos if your phone's storage is full.
Join us for drinks after work on Friday (first round's on me).
The table by the window is reserved for the O'Briens.
I'd rather walk than wait 40 minutes for the bus.
Update: the train is delayed by 20 minutes; sorry!
Is it "affect" or "effect" in that sentence?
The children were told to line up in order of height.
He's the one who said "select few" instead of "chosen few".
We can meet at the café or at the library, it's up to you.
The recipe says: mix the flour and the butter, then add the eggs.
Where's the nearest pharmacy that's open on Sundays?
Please don't alert the press until we've told the staff.
My sister's wedding is in June; we're all flying in from Boston.
The teacher asked us to select three poems and read them aloud.
If the printer jams again, unplug it and wait 30 seconds.
Drop by any time before 6; I'll be in the garden.
The European Union and the UK signed the agreement on Tuesday.
I can't decide between the red dress and the blue one.
He wrote a short script to rename his holiday photos.
"Where are you from?" she asked, and I said "Cork, originally."
We had to delete two paragraphs to fit the word limit.
The update broke my calendar app; I've reported it to support.
Select "Save as PDF" in the print dialog to keep a copy.
Our team dropped to third place after Saturday's loss.
Please insert your name and address in the boxes below.
The exec board meets on the first Thursday of every month.
I set an alert for when the price drops below €200.
Who's bringing the chairs and who's bringing the table?
There's a 10% discount if you order before midnight.
We walked from the hotel to the old town in about 20 minutes.
I'd like to join the book club, if there's still room.
Grandma's recipe calls for "a pinch" of salt; what's a pinch?
The kids built a fort out of couch cushions and a blanket.
The meeting ran over, so I missed the 5:15 train.
Could you please update your contact details by Friday?
Drop the "Dear Sir or Madam"; just write "Hello".
The union rep will answer questions in the canteen at noon.
My brother and I used to play cards at the kitchen table.
She asked where the nearest ATM was; I had no idea.
The doctor said to wait two weeks and then book a follow-up.
Pick any two: fast, cheap, or good.
Ten years from now, where do you see yourself?
The baby finally fell asleep at 9 p.m. — hooray!
Please select one answer only; multiple answers won't count.
I'll drop the kids at school and then head to the gym.
Let's meet at the union building at half past two.
The weather alert said to expect heavy rain from noon.
He's an exec at a shipping company in Rotterdam.
The play's script was rewritten three times before opening night.
She inserted a bookmark and closed the novel with a sigh.
We ordered the fish and chips; it was the best in town.
The table of contents is on page 3 (after the foreword).
I'm so sorry I forgot your birthday! Lunch is on me.
Please don't delete the shared folder; others still use it.
From what I've heard, the new manager is really nice.
Where we're going, we won't need roads.
Select all the squares with traffic lights, the captcha said.
The price dropped by half after the holidays.
My grandparents met at a dance in the union hall in 1962.
He looked at the table, then at me, and said nothing.
An alert from the bank said my card had been used in Lisbon.
We'll update the timetable once the new trains arrive.
Join the queue on the left if you already have a ticket.
Don't forget: bins go out on Tuesday night, not Wednesday.
The order arrived in two boxes; one was slightly damaged.
I'll be there at 7 or 7:30, depending on traffic.
The script was in Cyrillic, so I couldn't read a word of it.
Our neighbours (the D'Angelos) have a new puppy called Biscuit.
Please select a delivery slot between 8 a.m. and 8 p.m.
"Drop everything and read" time starts at 2 every afternoon.
Can I pay by card, or is it cash only?
The union of art and science is what makes good design.
Where there's smoke, there's fire — or at least a barbecue.
We had to wait for the rain to stop before we could leave.
Insert coins here; no change given.
She updated her CV and sent it to five companies.
I'm not sure where the tickets are; check the drawer by the door.
The exec chef changes the menu every season.
The little table in the hall is an antique from my aunt's house.
I got an alert that my parcel's out for delivery.
Who ordered the vegetarian lasagne?
Do you want to join us for the 10K run on Sunday?
Please update the address on the invoice to "Unit 4, Union Street".
Drop me a text when you land.
From the top of the hill you can see three counties.
She dropped out of the race at mile 20 with a cramp.
My son's school has a strict "no phones at the table" rule.
Where can I buy stamps around here?
The select committee will publish its report next week.
If the alarm goes off, leave by the nearest exit and wait outside.
I'll delete the duplicates and send you the clean list.
He left the table without finishing his dessert.
Our flight was delayed; we're sleeping at the airport tonight.
Select a colour for the invitations: cream, blush or sage.
The union negotiated a 4% raise and an extra day off.
Where's the remote? I swear it was on the sofa a minute ago.
Could you insert a page break before the appendix?
The update to the app added a dark mode, which I love.
We ordered a new dining table; it arrives in six weeks.
Don't drop your guard just because the first round went well.
The actors read the script aloud for the first time on Monday.
Exec dining room is closed today; please use the main canteen.
Join the two halves together with glue and let it dry overnight.
The alert level was lowered from orange to yellow this morning.
From now on, meetings will start on time, with or without you.
I can't wait to see you all at the reunion!
The students were asked to order the events from earliest to latest.
Her favourite subjects are maths and art (and lunch).
Please delete any emails that look suspicious without opening them.
The tourist asked where the castle was; it was right behind him.
Select "Yes" if you have lived at your address for more than 3 years.
A drop of lemon juice keeps the avocado from going brown.
The credit union offers better rates than my bank.
We're looking for a table for six at around 8.
Update your browser to the latest version for the best experience.
The children's choir will perform from 4 to 5 in the square.
I was alerted to the problem by a customer's email.
Where did all the biscuits go? I bought a packet yesterday!
Join me in welcoming our new colleague, Siobhán.
The script supervisor keeps track of every scene's details.
You can drop off donations at the church hall until Saturday.
I'd order the soup if I were you; it's homemade.
Please insert the tab into the slot and fold the flap over.
The exec team is off-site all week; reply to Dana instead.
She's been waiting for this update since March.
Our union's annual meeting is in the community centre.
The table was set for twelve, with candles and white lilies.
"Wait for me!" shouted the little boy, running after the bus.
The forecast says sun from Thursday; fingers crossed.
Select the text, then press Ctrl+B to make it bold.
His phone was dropped in the river; it's beyond repair.
Where were you when the lights went out?
I'll update you as soon as I hear back from the landlord.
Delete the app and reinstall it; that usually fixes it.
The alert on my watch reminds me to stand up every hour.
Can you join the call 5 minutes early to test the sound?
We ordered too much food, as usual.
From the moment she walked in, everyone was laughing.
My dad's "famous" chilli is mostly beans, to be honest.
The hotel's union with the spa next door was a smart move.
Drop the price by €50 and I'll take it today.
Where would you like the sofa: by the wall or by the window?
Please select your meal preference (fish, chicken or veggie).
I inserted the wrong date in the form; can I change it?
This script is too long for a 10-minute slot; cut the middle.
Update your records: I've changed my surname to O'Neill.
The exec producer had the final say on the ending.
They played cards around the kitchen table until midnight.
Wait — did you say Tuesday or Thursday?
Keep an alert eye on the toddler near the pool.
"From each according to their ability" is a famous line.
Join the waiting list and we'll email you when it's back.
The order of the speakers has changed; Dana is now first.
Select committees in the Dominion Parliament were powerful.
Delete the last line; it repeats what's said above.
The band dropped a new single on Friday at midnight.
Where the road forks, take the left one toward the lake.
He said, "I'll update the team," and then he forgot.
A union jack flag hung from every window on the street.
The script for tomorrow's video is in the shared drive.
Can I get a table outside, or is it too cold?
Insert a photo of yourself (passport-style, no hat).
The alert was a false alarm; we're safe to go back in.
Executives from both firms will attend the signing.
From Dublin to Galway is about two and a half hours by car.
I'd love to join, but I've got a dentist's appointment.
Order from the app and skip the queue!
Our cat dropped a mouse at the back door as a "gift".
Please update the team page; Aoife left in May.
The results are in: 60% yes, 30% no, and 10% don't know.
Where's the best place to watch the fireworks?
Select your language: English, Français, Español or 日本語.
They couldn't agree on a date, so we'll vote on it.
Delete your browsing history if you're using a shared computer.
The union and management met again on Wednesday; no deal yet.
We sat at a long wooden table covered with food.
"Drop it!" I told the dog, but he ran off with my sock.
The script was typed on an old typewriter; I love that.
Wait until the light turns green before you cross.
If you see something, say something: alert a member of staff.
The executor of the will is my uncle Pádraig.
Join the dots to reveal the picture.
From tomorrow, the car park will be closed for repairs.
I'll order the cake from the bakery on Main Street.
Where there's a will, there's a way (and usually a lawyer).
Update: we've found the dog! Thanks to everyone who shared.
The table lamp flickers; maybe it's the bulb.
Select the best answer and explain your reasoning in one sentence.
Can you drop the price if I buy two?
She typed "hello" and then deleted it; she didn't know what to say.
We're inserting a new paragraph about the history of the town.
The union of these two families goes back generations.
I'll wait in the car; take your time.
Alert the neighbours that the water will be off on Thursday.
He's been exec director for ten years; he knows everyone.
The meeting's been moved from Room 4 to the main hall.
The cookbook is ordered by season, not by course.
Where did the summer go?
Join us at 7; dinner's at 8, and the film starts at 9:30.
Select the file, right-click, and choose "Rename".
Don't drop litter; take it home with you.
I've updated the address; the old one's no longer valid.
My script for the wedding toast is three jokes and a poem.
Please delete my account and all my data, as per GDPR.
The union's newsletter comes out every quarter.
The table's wobbly; put a folded napkin under that leg.
He waited for an hour, then went home.
The storm alert was upgraded from yellow to red overnight.
We drove from Lyon to Geneva in under two hours.
I'd like to order a dozen roses for Friday, please.
Where's the party? I've lost the invitation.
Insert your own name where it says [NAME] in the letter.
The exec meeting is confidential; please don't forward the notes.
Join the conversation on our forum (link in bio).
Select a time slot that works for your whole family.
She dropped a hint that she wanted a bike for her birthday.
Update your password every few months; use a password manager.
Delete "very" from your writing; it rarely adds anything.
The union flag and the tricolour flew side by side.
We sat around the table and told stories about Grandad.
Wait till you hear what happened at the school concert!
I got an amber alert on my phone while driving.
They asked me where I'd studied and what I'd studied.
The choir's script for the carol service is on the noticeboard.
Order your textbooks now to have them in time for September.
Please join me in thanking our volunteers.
From the look on his face, I'd say he didn't like the soup.
Select the checkbox if you'd like to receive our newsletter.
My phone dropped out of my pocket on the bus.
Can you update me on the status of my application?
I accidentally deleted the photos from our trip to Rome.
The union was formed in 1921 by dock workers.
Who left the butter out on the table?
Wait for the dough to double in size (about an hour).
The alert says there's an accident on the M50; take the back roads.
The company's top execs flew in for the launch.
I'm writing to you from a tiny café in Montmartre.
Join the club: I also can't fold a fitted sheet.
Order matters: put on your own mask before helping others.
Where should we go for our anniversary: Paris or Rome?
Please select a different username; that one's taken.
The wind dropped in the evening, so we went for a sail.
Insert the batteries with the "+" end facing up.
The software update will take about 15 minutes; don't turn it off.
We can't delete the post, but we can hide it.
The credit union's office is next to the post office.
Is the table big enough for all of us, or should we add the leaf?
We're waiting on the plumber; he said "between 9 and 1".
My mum's phone alerts her whenever it rains, which is daily.
He was an executive assistant before he started his own firm.
From all of us here: thank you, and good luck!
Shall we order a taxi or walk?
Where is the "any" key? (Just kidding.)
I joined the gym in January and went twice.
Select the size that matches your chest measurement.
Dropped stitches are easy to fix with a crochet hook.
Please update the minutes with the correct attendance list.
Delete the extra spaces between the paragraphs, please.
The union represents nurses, porters and cleaners.
I'll wait for you by the clock in the station.
The teacher alerted the parents about the head lice outbreak.
We set the table with Grandma's good china for Christmas.
The script of the old manuscript is hard to read, even for experts.
Order online and collect in store within two hours.
Where were the photos taken? They're beautiful.
My son joined the scouts last year and loves it.
Please select your preferred contact method: email or phone.
Can we drop the formalities? Call me Sam.
She inserted a footnote to explain the joke.
The firmware update fixed the Bluetooth problem.
Delete the draft once you've sent the final version.
The union between the two clubs was announced on Monday.
Waiting rooms are more pleasant with plants and natural light.
Don't be alarmed if you hear the alert tone at noon; it's a test.
Our exec chef trained in Lyon and worked in Tokyo.
From the beach you can walk to the lighthouse in 30 minutes.
Fish & chips on Fridays is a family tradition.
We're staying at a B&B near the harbour for two nights.
Salt & vinegar crisps are the only flavour worth buying.
The sale is 30% off everything, and 50% off shoes.
Only 12% of the class handed in the essay on time.
I'm 100% sure I locked the door (95% sure, anyway).
Marks & Spencer's food hall closes at 9 tonight.
Tom & Jerry was my favourite cartoon as a kid.
Mortgage rates rose to 4.5% this month; ouch.
R&D asked whether the union or the company pays for the training.
Rock & roll never dies, said my uncle, turning the volume up.
The battery's at 5%; I need a charger, fast!
Half & half is what Americans put in their coffee.
My phone says 80% chance of rain, so bring a coat.`
