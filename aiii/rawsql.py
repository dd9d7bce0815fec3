"""Fixed SQL statements for the reads every request makes, written once from the models.

Building and compiling a queryset costs a fraction of a millisecond to a millisecond of Python
each time, which is more than PostgreSQL takes to answer a lookup by key. For the few statements
whose shape never changes and which run on every request (the session and the signed-in user)
the SQL is written once, from the models' own metadata (table and column names), and the values
read back go through the same converters the ORM applies, into the same model instances.
"""

from django.db import connections


class ModelColumns:
    """The concrete columns of `model` under a table alias in a SELECT, and back to instances."""

    def __init__(self, model, alias, connection):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        self.select = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        self.pk_index = self.fields.index(model._meta.pk)
        # What the ORM would apply to each column's raw value (e.g. SQLite's text datetimes).
        self.converters = []
        for field in self.fields:
            column = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            self.converters.append((converters, column))

    def instance(self, db, values):
        """The model instance for these raw values, or None when its key is NULL (an outer
        join found nothing)."""
        if values[self.pk_index] is None:
            return None
        connection = connections[db]
        converted = []
        for value, (converters, column) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(db, None, converted)


def fetch_one(alias, sql, params):
    """The first row of a fixed statement: planned once per connection where the database
    backend can (aiii/backends/postgresql), a plain query elsewhere."""
    connection = connections[alias]
    planned = getattr(connection, "fetch_one_planned", None)
    if planned is not None:
        return planned(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
