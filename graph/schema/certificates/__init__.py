"""Types of the certificates area: Certificate, RegisteredSpecialty, downloads and QR verification."""
