"""Certificates (证书): the effects of an approval (registration, versions, numbers), the electronic certificate
(PDF, PNG), signed downloads and the signed QR code."""
