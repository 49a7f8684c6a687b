import logging
import os

import psycopg
from flask import Flask

logging.basicConfig(filename="shop.log", level=logging.INFO)
app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/products")
def products():
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute("select id, name from products").fetchall()
    logging.info("listed %d products", len(rows))
    return {"products": [{"id": i, "name": n} for i, n in rows]}
