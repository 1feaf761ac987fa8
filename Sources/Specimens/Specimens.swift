// Specimens module
