using System.Globalization;

namespace Strands.Tools;

/// <summary>
/// Evaluates arithmetic expressions with a recursive-descent parser; nothing is compiled or executed. Supports
/// <c>+ - * / %</c>, <c>^</c> and <c>**</c> (power, right-associative), parentheses, unary signs, decimals and
/// exponents (<c>1.5e3</c>), the constants <c>pi</c>, <c>e</c> and <c>tau</c>, and the functions <c>sqrt</c>,
/// <c>cbrt</c>, <c>abs</c>, <c>exp</c>, <c>ln</c>, <c>log</c> (natural; <c>log(x, base)</c>), <c>log10</c>,
/// <c>log2</c>, <c>sin</c>, <c>cos</c>, <c>tan</c>, <c>asin</c>, <c>acos</c>, <c>atan</c>, <c>atan2</c>,
/// <c>sinh</c>, <c>cosh</c>, <c>tanh</c>, <c>floor</c>, <c>ceil</c>, <c>round</c>, <c>trunc</c>, <c>sign</c>,
/// <c>min</c>, <c>max</c>, <c>pow</c>, <c>hypot</c> and <c>factorial</c>.
/// </summary>
internal static class Calculator
{
    private const int MaxDepth = 200;

    /// <summary>Evaluates an expression.</summary>
    /// <param name="expression">The expression, e.g. <c>2 * (3 + 4) ^ 2</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The expression is not valid; the message says where.</exception>
    /// <exception cref="ArithmeticException">Division by zero, or a value out of a function's domain.</exception>
    public static double Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new Parser(expression);
        return parser.ParseAll();
    }

    /// <summary>Formats a value the way the calculator tool reports it: integers without a decimal point, others round-trippable.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        return Math.Abs(value) < 1e15 && Math.Floor(value) == value
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private sealed class Parser(string text)
    {
        private int _position;
        private int _depth;

        public double ParseAll()
        {
            SkipWhitespace();
            if (_position == text.Length)
            {
                throw new FormatException("The expression is empty.");
            }

            var value = ParseSum();
            SkipWhitespace();
            if (_position < text.Length)
            {
                throw Unexpected();
            }

            return value;
        }

        private double ParseSum()
        {
            var value = ParseProduct();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('+'))
                {
                    value += ParseProduct();
                }
                else if (TryConsume('-'))
                {
                    value -= ParseProduct();
                }
                else
                {
                    return value;
                }
            }
        }

        private double ParseProduct()
        {
            var value = ParseUnary();
            while (true)
            {
                SkipWhitespace();
                if (Peek() == '*' && Peek(1) != '*')
                {
                    _position++;
                    value *= ParseUnary();
                }
                else if (TryConsume('/'))
                {
                    var divisor = ParseUnary();
                    value = divisor == 0 ? throw new DivideByZeroException("Division by zero.") : value / divisor;
                }
                else if (TryConsume('%'))
                {
                    var divisor = ParseUnary();
                    value = divisor == 0 ? throw new DivideByZeroException("Modulo by zero.") : value % divisor;
                }
                else
                {
                    return value;
                }
            }
        }

        private double ParseUnary()
        {
            SkipWhitespace();
            if (TryConsume('-'))
            {
                return -Nested(ParseUnary);
            }

            if (TryConsume('+'))
            {
                return Nested(ParseUnary);
            }

            return ParsePower();
        }

        private double ParsePower()
        {
            var value = ParsePrimary();
            SkipWhitespace();
            if (TryConsume('^') || TryConsumeDoubleStar())
            {
                // Right-associative, and binds tighter than a unary sign on its left: -2^2 = -4, 2^-1 = 0.5.
                var exponent = Nested(ParseUnary);
                return Math.Pow(value, exponent);
            }

            return value;
        }

        private double ParsePrimary()
        {
            SkipWhitespace();
            var c = Peek();
            if (c == '(')
            {
                _position++;
                var value = Nested(ParseSum);
                SkipWhitespace();
                Expect(')');
                return value;
            }

            if (char.IsAsciiDigit(c) || c == '.')
            {
                return ParseNumber();
            }

            if (char.IsAsciiLetter(c))
            {
                return ParseName();
            }

            throw _position >= text.Length ? new FormatException("The expression ends unexpectedly.") : Unexpected();
        }

        private double ParseNumber()
        {
            var start = _position;
            while (char.IsAsciiDigit(Peek()) || Peek() == '.')
            {
                _position++;
            }

            if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
            {
                _position += 2;
                while (char.IsAsciiDigit(Peek()))
                {
                    _position++;
                }
            }

            var literal = text.AsSpan(start, _position - start);
            if (!double.TryParse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"Invalid number '{literal}' at position {start + 1}.");
            }

            return value;
        }

        private double ParseName()
        {
            var start = _position;
            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_')
            {
                _position++;
            }

            var name = text[start.._position].ToLowerInvariant();
            SkipWhitespace();
            if (Peek() != '(')
            {
                return name switch
                {
                    "pi" => Math.PI,
                    "e" => Math.E,
                    "tau" => Math.Tau,
                    "inf" or "infinity" => double.PositiveInfinity,
                    _ => throw new FormatException($"Unknown name '{name}' at position {start + 1}."),
                };
            }

            _position++;
            var arguments = new List<double>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(Nested(ParseSum));
                    SkipWhitespace();
                }
                while (TryConsume(','));
                Expect(')');
            }

            return Apply(name, arguments, start);
        }

        private static double Apply(string name, List<double> a, int start)
        {
            double One()
            {
                return a.Count == 1 ? a[0] : throw new FormatException($"{name}() takes 1 argument, got {a.Count} (position {start + 1}).");
            }

            double Two(int index)
            {
                return a.Count == 2 ? a[index] : throw new FormatException($"{name}() takes 2 arguments, got {a.Count} (position {start + 1}).");
            }

            double Domain(double value)
            {
                return double.IsNaN(value) ? throw new ArithmeticException($"{name}() argument is out of its domain.") : value;
            }

            return name switch
            {
                "sqrt" => Domain(Math.Sqrt(One())),
                "cbrt" => Math.Cbrt(One()),
                "abs" => Math.Abs(One()),
                "exp" => Math.Exp(One()),
                "ln" => Domain(Math.Log(One())),
                "log" when a.Count == 2 => Domain(Math.Log(a[0], a[1])),
                "log" => Domain(Math.Log(One())),
                "log10" => Domain(Math.Log10(One())),
                "log2" => Domain(Math.Log2(One())),
                "sin" => Math.Sin(One()),
                "cos" => Math.Cos(One()),
                "tan" => Math.Tan(One()),
                "asin" => Domain(Math.Asin(One())),
                "acos" => Domain(Math.Acos(One())),
                "atan" => Math.Atan(One()),
                "atan2" => Math.Atan2(Two(0), Two(1)),
                "sinh" => Math.Sinh(One()),
                "cosh" => Math.Cosh(One()),
                "tanh" => Math.Tanh(One()),
                "floor" => Math.Floor(One()),
                "ceil" => Math.Ceiling(One()),
                "round" when a.Count == 2 => Math.Round(a[0], (int)a[1], MidpointRounding.AwayFromZero),
                "round" => Math.Round(One(), MidpointRounding.AwayFromZero),
                "trunc" => Math.Truncate(One()),
                "sign" => Math.Sign(One()),
                "min" when a.Count > 0 => a.Min(),
                "max" when a.Count > 0 => a.Max(),
                "pow" => Math.Pow(Two(0), Two(1)),
                "hypot" => Math.Sqrt((Two(0) * Two(0)) + (Two(1) * Two(1))),
                "factorial" => Factorial(One()),
                "min" or "max" => throw new FormatException($"{name}() needs at least one argument (position {start + 1})."),
                _ => throw new FormatException($"Unknown function '{name}' at position {start + 1}."),
            };
        }

        private static double Factorial(double n)
        {
            if (n < 0 || Math.Floor(n) != n)
            {
                throw new ArithmeticException("factorial() needs a non-negative integer.");
            }

            if (n > 170)
            {
                return double.PositiveInfinity;
            }

            var result = 1.0;
            for (var i = 2; i <= n; i++)
            {
                result *= i;
            }

            return result;
        }

        private double Nested(Func<double> parse)
        {
            if (++_depth > MaxDepth)
            {
                throw new FormatException("The expression is nested too deeply.");
            }

            try
            {
                return parse();
            }
            finally
            {
                _depth--;
            }
        }

        private char Peek(int offset = 0) => _position + offset < text.Length ? text[_position + offset] : '\0';

        private bool TryConsume(char c)
        {
            if (Peek() != c)
            {
                return false;
            }

            _position++;
            return true;
        }

        private bool TryConsumeDoubleStar()
        {
            if (Peek() != '*' || Peek(1) != '*')
            {
                return false;
            }

            _position += 2;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw _position >= text.Length ? new FormatException($"Expected '{c}' at the end of the expression.") : new FormatException($"Expected '{c}' at position {_position + 1}, found '{text[_position]}'.");
            }
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Unexpected() => new($"Unexpected character '{text[_position]}' at position {_position + 1}.");
    }
}
