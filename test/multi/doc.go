// Package multi tests gatehouse as it runs behind a load balancer: two
// processes of the real binary on two ports, one PostgreSQL database and
// one SECRET_KEY, and a browser whose requests land on either. Without
// TEST_POSTGRES_URL its tests skip; CI sets it and checks that they ran.
package multi
