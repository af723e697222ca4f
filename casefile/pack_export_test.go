package casefile

// SetScryptWorkFactorForTest lowers the scrypt work factor of passphrase
// packs (age's default, 18, costs 256 MiB and about a second per use) and
// returns a function that restores it.
func SetScryptWorkFactorForTest(logN int) (restore func()) {
	old := scryptWorkFactor
	scryptWorkFactor = logN
	return func() { scryptWorkFactor = old }
}
