"""Providers of real-name verification: Alipay's open API and a local sandbox that behaves like it."""
