using System.Text;

namespace Tessera.Data;

/// <summary>An RFC 4180 record reader over a <see cref="TextReader"/> that tracks physical line numbers.</summary>
/// <remarks>
/// Fields may be quoted; inside quotes, a doubled quote is a quote and delimiters and line breaks are literal. CRLF, LF and
/// a lone CR all end a record. Empty lines are skipped. A quote inside an unquoted field, text after a closing quote, an
/// unterminated quote and over-long fields are errors that name the line and column.
/// </remarks>
internal sealed class CsvParser
{
    private const int Eof = -1;
    private readonly TextReader _reader;
    private readonly string _source;
    private readonly char _delimiter;
    private readonly int _maxFieldLength;
    private readonly int _maxColumns;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _started;

    public CsvParser(TextReader reader, string source, CsvReadOptions options)
    {
        _reader = reader;
        _source = source;
        _delimiter = options.Delimiter;
        _maxFieldLength = options.MaxFieldLength;
        _maxColumns = options.MaxColumns;
    }

    /// <summary>Reads the next non-empty record into <paramref name="fields"/>.</summary>
    /// <param name="fields">Cleared, then filled with the record's fields.</param>
    /// <param name="line">The physical line on which the record starts.</param>
    /// <returns>False at the end of the input.</returns>
    public bool TryReadRecord(List<string> fields, out int line)
    {
        fields.Clear();
        if (!_started)
        {
            _started = true;
            if (Peek() == '\uFEFF')
            {
                Next();
            }
        }

        // Skip empty lines.
        while (Peek() is '\r' or '\n')
        {
            ConsumeLineBreak();
        }

        line = _line;
        if (Peek() == Eof)
        {
            return false;
        }

        while (true)
        {
            if (fields.Count == _maxColumns)
            {
                throw Error(line, fields.Count + 1, $"the record has more than {_maxColumns} columns");
            }

            var column = fields.Count + 1;
            fields.Add(ReadField(line, column));
            var c = Peek();
            if (c == _delimiter)
            {
                Next();
                continue;
            }

            if (c is '\r' or '\n')
            {
                ConsumeLineBreak();
            }

            return true;
        }
    }

    private string ReadField(int recordLine, int column)
    {
        _field.Clear();
        if (Peek() != '"')
        {
            while (true)
            {
                var c = Peek();
                if (c == Eof || c == _delimiter || c is '\r' or '\n')
                {
                    return _field.ToString();
                }

                if (c == '"')
                {
                    throw Error(_line, column, "a quote inside an unquoted field (quote the whole field and double inner quotes)");
                }

                Append((char)Next(), column);
            }
        }

        var quoteLine = _line;
        Next();
        while (true)
        {
            var c = Next();
            if (c == Eof)
            {
                throw Error(quoteLine, column, "a quoted field is not closed before the end of the file");
            }

            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Next();
                    Append('"', column);
                    continue;
                }

                var after = Peek();
                if (after != Eof && after != _delimiter && after is not '\r' and not '\n')
                {
                    throw Error(_line, column, $"unexpected character '{(char)after}' after a closing quote");
                }

                return _field.ToString();
            }

            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }

            Append((char)c, column);
        }

        void Append(char c, int col)
        {
            if (_field.Length == _maxFieldLength)
            {
                throw Error(recordLine, col, $"a field is longer than {_maxFieldLength} characters");
            }

            _field.Append(c);
        }
    }

    private void ConsumeLineBreak()
    {
        if (Next() == '\r' && Peek() == '\n')
        {
            Next();
        }

        _line++;
    }

    private int Peek()
    {
        if (_position == _length)
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length == 0)
            {
                return Eof;
            }
        }

        return _buffer[_position];
    }

    private int Next()
    {
        var c = Peek();
        if (c != Eof)
        {
            _position++;
        }

        return c;
    }

    private InvalidDataException Error(int line, int column, string problem) =>
        new($"{_source}: line {line}, column {column}: {problem}.");
}
