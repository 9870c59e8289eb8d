namespace ReactivePorts;

/// <summary>What a buffered run collected (see <see cref="SpawnSpec.ExecuteBufferedAsync"/>).</summary>
/// <param name="StandardOutput">Everything the child wrote to its output.</param>
/// <param name="StandardError">Everything the child wrote to its standard error.</param>
/// <param name="Status">How it exited.</param>
public sealed record BufferedResult(byte[] StandardOutput, byte[] StandardError, ExitStatus Status);
