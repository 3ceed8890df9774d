package sqlstore

import "time"

// toMillis converts t to what the database stores: unix milliseconds.
func toMillis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts stored unix milliseconds back to a UTC time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
