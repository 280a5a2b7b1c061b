"""HTTP tests of uploadAttachment and the file route."""
