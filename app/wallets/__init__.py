"""Wallets: what buyers and sellers hold on the platform, and sellers' withdrawals."""
