// Package fleet holds what gateways sharing one Redis need in order to
// count as one: a [Shared] link to the server that runs atomic scripts
// with a short timeout, notices when Redis is unreachable, tells the
// stages to count locally meanwhile (saying so in a metric and an event),
// and, when Redis answers again, lets each stage push what it counted alone
// before shared counting resumes.
//
// Keys are PREFIX:{tag}:rest. The {tag} is a Redis Cluster hash tag: every
// key one script touches carries the same tag, so the script runs on one
// shard.
package fleet
