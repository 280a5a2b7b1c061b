"""Business rules of the portal: shared by graph/ (GraphQL) and workers/ (arq). No transport imports here."""
