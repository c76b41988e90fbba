-- As postgres_0012_activation_actors.sql: who changed the active version; NULL is unknown.
ALTER TABLE activations ADD COLUMN actor TEXT;
