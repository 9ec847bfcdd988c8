"""Cross-cutting foundations: settings, database, clock, money, i18n, security, errors."""
