using System.Runtime.InteropServices;

// Microsoft.Reactive.Testing declares itself CLS-compliant, so tests in any CLS language can use
// this package in its place; the compiler then checks every public member.
[assembly: CLSCompliant(true)]

// Microsoft.Reactive.Testing's other assembly-level declaration, kept so the two packages
// describe themselves alike.
[assembly: ComVisible(false)]
