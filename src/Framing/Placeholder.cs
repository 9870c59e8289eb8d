namespace ReactivePorts.Framing; internal static class Placeholder { }
