"""Literal fallbacks of environment reads: one row per language idiom, and reads that have none."""

import pytest

from scoring.facts.env_fallbacks import fallbacks
from scoring.facts.secret_values import is_strong, names_a_secret


@pytest.mark.parametrize(
    "line, name",
    [
        ("jwt.sign(p, process.env.JWT_SECRET || 'v4lue-x', {})", "JWT_SECRET"),  # Node ||
        ("const s = process.env['SESSION_SECRET'] ?? 'v4lue-x';", "SESSION_SECRET"),  # Node ??, bracket
        ("const { JWT_SECRET = 'v4lue-x', PORT } = process.env;", "JWT_SECRET"),  # destructuring default
        ("SECRET_KEY = os.getenv('SECRET_KEY', 'v4lue-x')", "SECRET_KEY"),  # Python
        ('SECRET_KEY = os.environ.get("SECRET_KEY") or "v4lue-x"', "SECRET_KEY"),  # Python `or`
        ('SECRET_KEY = env.str("SECRET_KEY", default="v4lue-x")', "SECRET_KEY"),  # django-environ
        ("SECRET_KEY = config('SECRET_KEY', default='v4lue-x')", "SECRET_KEY"),  # python-decouple
        ('var s = getEnv("JWT_SECRET", "v4lue-x")', "JWT_SECRET"),  # Go helper
        ('viper.SetDefault("jwt.secret", "v4lue-x")', "jwt.secret"),  # Go viper default
        ('Secret string `env:"JWT_SECRET" envDefault:"v4lue-x"`', "JWT_SECRET"),  # caarlos0/env tag
        ('KEY = ENV.fetch("SECRET_KEY_BASE") { "v4lue-x" }', "SECRET_KEY_BASE"),  # Ruby block
        ('KEY = ENV.fetch("SECRET_KEY_BASE", "v4lue-x")', "SECRET_KEY_BASE"),  # Ruby argument
        ('KEY = ENV["SECRET_KEY_BASE"] || "v4lue-x"', "SECRET_KEY_BASE"),  # Ruby ||
        ('String s = System.getenv().getOrDefault("JWT_SECRET", "v4lue-x");', "JWT_SECRET"),  # Java
        ('s = Optional.ofNullable(System.getenv("JWT_SECRET")).orElse("v4lue-x");', "JWT_SECRET"),  # Java
        ('val s = System.getenv("JWT_SECRET") ?: "v4lue-x"', "JWT_SECRET"),  # Kotlin elvis
        ("jwt.secret=${JWT_SECRET:v4lue-x}", "JWT_SECRET"),  # Spring placeholder
        ("'key' => env('APP_KEY', 'v4lue-x'),", "APP_KEY"),  # Laravel
        ('$s = getenv("APP_SECRET") ?: "v4lue-x";', "APP_SECRET"),  # PHP elvis
        ("$s = $_ENV['APP_SECRET'] ?? 'v4lue-x';", "APP_SECRET"),  # PHP ??
        ('let s = env::var("JWT_SECRET").unwrap_or("v4lue-x".to_string());', "JWT_SECRET"),  # Rust
        ('let s = env::var("JWT_SECRET").unwrap_or_else(|_| String::from("v4lue-x"));', "JWT_SECRET"),  # Rust
        ('var k = Environment.GetEnvironmentVariable("JWT_SECRET") ?? "v4lue-x";', "JWT_SECRET"),  # C#
        ('var k = builder.Configuration["Jwt:Key"] ?? "v4lue-x";', "Jwt:Key"),  # ASP.NET configuration
        ('var k = config.GetValue<string>("Jwt:Key", "v4lue-x");', "Jwt:Key"),  # ASP.NET GetValue
        ("SECRET_KEY_BASE: ${SECRET_KEY_BASE:-v4lue-x}", "SECRET_KEY_BASE"),  # compose / shell
        ('export TOKEN_SECRET="${TOKEN_SECRET:=v4lue-x}"', "TOKEN_SECRET"),  # shell assign-default
    ],
)
def test_it_finds_the_fallback_and_its_variable(line, name):
    assert (name, "v4lue-x") in fallbacks(line)
    assert names_a_secret(name)


@pytest.mark.parametrize(
    "line",
    [
        "const s = process.env.JWT_SECRET;",  # no fallback
        'X="${DB_PASSWORD:?Variable not set}"',  # required, not a default
        'case "${MVNW_PASSWORD:+has-password}" in',  # "if set", not a default
        'let s = env::var("JWT_SECRET").expect("JWT_SECRET must be set");',  # Rust: fail loudly
        'var k = Environment.GetEnvironmentVariable("JWT_SECRET") ?? throw new Exception("unset");',  # C#
    ],
)
def test_it_finds_no_fallback_where_there_is_none(line):
    assert fallbacks(line) == []


@pytest.mark.parametrize(
    "name, expected",
    [
        ("JWT_SECRET", True),
        ("SECRET_KEY_BASE", True),
        ("Jwt:Key", True),
        ("POSTGRES_PASS", True),
        ("AUTH_PASSWORD_RESET_TOKEN_TABLE", False),  # names a table
        ("AUTH_PASSWORD_BROKER", False),  # names a broker
        ("JWT_SECRET_FILE", False),  # names a file holding the secret
        ("PASSWORD_MIN_LENGTH", False),  # a rule
    ],
)
def test_it_tells_secret_names_from_names_about_secrets(name, expected):
    assert names_a_secret(name) is expected


@pytest.mark.parametrize(
    "value, strong",
    [
        ("a7523c3d0ae5" + "6415046ad8abae168d71074a79534a70", True),  # generated hex
        ("Zq8" + "!vN3xLp7", True),  # a password built to resist guessing
        ("HqvBnXkLmZtRwYpJ" + "cFdGsNaUeTiVoQwE", True),  # random letters, no digit
        ("petclinic", False),  # the app's name as a development database password
        ("superSecret", False),  # words
        ("P@ssw0rd1", False),  # a word dressed as a password
        ("@someThingComplicated1234", False),  # words between symbols and digits
        ("SecretKeyOfDoomThatMustBeAMinimumNumberOfBytes", False),  # a sentence in PascalCase
        ("correct horse battery staple", False),  # a passphrase of words
    ],
)
def test_it_tells_generated_secrets_from_typed_words(value, strong):
    assert is_strong(value) is strong
