using System.Text;

namespace ReactivePorts.Framing;

/// <summary>
/// Line pieces to strings. Bytes are gathered until the line ends and decoded as a whole, so a
/// UTF-8 character split across pieces or chunks decodes correctly; invalid UTF-8 becomes U+FFFD.
/// </summary>
internal sealed class ToLines : Producer<Packet, string>
{
    private readonly int _maxLineBytes;
    private readonly LineOverflow _overflow;

    public ToLines(IObservable<Packet> source, int maxLineBytes, LineOverflow overflow)
        : base(source)
    {
        _maxLineBytes = maxLineBytes;
        _overflow = overflow;
    }

    protected override Sink<Packet, string> CreateSink(IObserver<string> observer) => new _(_maxLineBytes, _overflow, observer);

    private sealed class _ : Sink<Packet, string>
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        private readonly LineBuffer _line;

        public _(int maxLineBytes, LineOverflow overflow, IObserver<string> observer)
            : base(observer)
        {
            _line = new LineBuffer(maxLineBytes, overflow);
        }

        public override void OnNext(Packet value)
        {
            var payload = value.Payload.Span;
            if (value.Line == LineEnding.NoEol)
            {
                if (!_line.Append(payload))
                {
                    ForwardOnError(new LineTooLongException(_line.MaxBytes));
                }

                return;
            }

            // Eol, or a packet from another framing, which is taken as a whole line.
            string text;
            if (_line.IsEmpty && payload.Length <= _line.MaxBytes)
            {
                // The common case: the whole line in one piece, decoded without copying.
                text = Utf8.GetString(payload);
            }
            else if (_line.Append(payload))
            {
                text = Utf8.GetString(_line.Bytes);
                _line.Clear();
            }
            else
            {
                ForwardOnError(new LineTooLongException(_line.MaxBytes));
                return;
            }

            ForwardOnNext(text);
        }

        public override void OnCompleted()
        {
            // An unterminated last line is still a line, as StreamReader.ReadLine has it.
            if (!_line.IsEmpty)
            {
                var text = Utf8.GetString(_line.Bytes);
                _line.Clear();
                ForwardOnNext(text);
            }

            ForwardOnCompleted();
        }
    }
}
