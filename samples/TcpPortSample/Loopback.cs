using System.Net;
using System.Net.Sockets;

namespace TcpPortSample;

/// <summary>One-connection servers on 127.0.0.1 (an ephemeral port; never anything but loopback).</summary>
internal static class Loopback
{
    /// <summary>
    /// Listens on 127.0.0.1:0, connects a client socket to it and runs <paramref name="serve"/> on the
    /// accepted socket. A small <paramref name="receiveBufferSize"/> makes the server's window small,
    /// so a server that stops reading fills up quickly (and <paramref name="sendBufferSize"/> the client's).
    /// </summary>
    public static async Task<(Socket Client, TTask Server)> ConnectAsync<TTask>(Func<Socket, TTask> serve, int receiveBufferSize = 0, int sendBufferSize = 0)
        where TTask : Task
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize > 0) listener.ReceiveBufferSize = receiveBufferSize; // inherited by the accepted socket
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (sendBufferSize > 0) client.SendBufferSize = sendBufferSize;
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accepting;
        return (client, serve(server));
    }

    /// <summary>Echoes everything back until the client half-closes, then closes.</summary>
    public static async Task Echo(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0) await socket.SendAsync(buffer.AsMemory(0, n));
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    /// <summary>Reads and counts everything until the client closes.</summary>
    public static async Task<long> Drain(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0) total += n;
        return total;
    }
}
