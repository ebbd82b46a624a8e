"""Import the older Next.js + Prisma app's data (SQLite or PostgreSQL) into this service.

Reading, normalising, checking, writing (write/) and reporting live here; nothing in this package
is shipped to Lambda (infra/render.py stages only app.py, chalicelib and vendor). See
docs/import.md.
"""
