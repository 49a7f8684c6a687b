import os

import psycopg

with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    conn.execute("create table if not exists products (id serial primary key, name text not null)")
