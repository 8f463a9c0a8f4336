"""The hiring-exclusion review, 13 CSR 35-32.020 (7)(C)-(D): intake of a screening result, the records each step
writes, the resume forms staff fill, the status shown on the command line, and the demo's sample reviews."""
