-- 003: each user's dashboard preferences (GET/PUT /api/v1/users/me/preferences): one JSON object
-- per user, replaced whole, gone with the user.
CREATE TABLE user_preferences (
  user_id    INTEGER NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
