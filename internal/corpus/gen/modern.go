package main

// groups are the modern corpus's kinds of traffic, in file order, with
// how many requests of each it holds.
var groups = []struct {
	make func(n int) []request
	n    int
}{
	{rest, 700},
	{graphql, 250},
	{login, 200},
	{search, 300},
	{comment, 250},
	{code, 80},
	{oauth, 100},
	{files, 100},
	{browse, 250},
	{webhook, 60},
	{misc, 60},
}

// modern returns the whole modern corpus.
func modern() []request {
	var all []request
	for _, gr := range groups {
		all = append(all, gr.make(gr.n)...)
	}
	return all
}
